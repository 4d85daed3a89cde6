/**
 * Streaming triage for the worklist: every opened image (first frame) is queued once its
 * header is read; the image on screen jumps the queue. Each job reads the file's bytes,
 * the decode worker decodes the frame, which is passed on to the inference worker
 * (transferred both ways, never copied or kept here), and the page keeps only the header, a
 * thumbnail and the prediction — decode → preprocess → infer → release. Activation maps
 * (1 MB per image) are computed only for the image on screen and kept for the last few shown:
 * a triaged image gets scores only, and its map when the reader opens it. A few jobs are in flight so the
 * workers stay busy (the decode workers decode the next images while the inference worker infers), no more, so memory
 * stays flat however many images are open. Progress (with a rate for the ETA) and cancel
 * live in `triageStore` (shared/findings/triage-store.ts).
 */
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { decodeWorkerLimit, triageInWorker } from '../../shared/decode/decode-client.ts';
import { onFileReady } from '../../shared/session/open-files.ts';
import { findFile, patchFile, sessionStore, sourceOf } from '../../shared/session/session-store.ts';
import { findingKey, findingsStore, flushFindings, getFinding, setFinding } from '../../shared/findings/findings-store.ts';
import { triageStore, type TriageState } from '../../shared/findings/triage-store.ts';
import { predictTriaged, modelPreprocessing, startInference } from './inference-client.ts';

interface Job {
  fileId: string;
  frame: number;
}

/** Jobs in flight: one decoding per decode worker, one inferring, one read ahead. */
const IN_FLIGHT = decodeWorkerLimit() + 2;

/** Images whose activation maps stay in memory (the ones shown last). */
const KEEP_MAPS = 8;

const queue: Job[] = [];
/** The image on screen (its prediction carries activation maps). */
let shownKey: string | undefined;
/** Keys whose stored prediction has maps, oldest first. */
const withMaps: string[] = [];
/** Keys of the queued jobs (a 10,000-image queue is not searched on every request). */
const queued = new Set<string>();
let running = 0;

function publish(patch: Partial<TriageState> = {}): void {
  triageStore.set((s) => ({ ...s, queued: queue.length, running, ...patch }));
}

async function runJob(job: Job): Promise<void> {
  const source = sourceOf(job.fileId);
  if (!source) return; // closed since it was queued
  const key = findingKey(job.fileId, job.frame);
  const cam = key === shownKey;
  const before = getFinding(key);
  // A re-run for the maps keeps the scores on screen meanwhile.
  if (before?.status !== 'done') setFinding(key, { status: 'running' });
  const start = performance.now();
  let decoded;
  try {
    // Once the model's card is verified the decode worker also preprocesses: only the model input comes back.
    decoded = await triageInWorker(source, job.frame, modelPreprocessing());
  } catch (error) {
    const typed = toSerializedError(error, 'DICOM_DECODE_FAILED');
    const sha256 = (error as { sha256?: unknown }).sha256;
    patchFile(job.fileId, { status: 'error', error: typed, ...(typeof sha256 === 'string' ? { sha256 } : {}) });
    setFinding(key, { status: 'error', error: typed });
    return;
  }
  if (job.frame === 0 && sourceOf(job.fileId)) {
    patchFile(job.fileId, { image: decoded.header, sha256: decoded.sha256, decodeMs: decoded.decodeMs, thumbnail: decoded.thumbnail, size: decoded.size });
  }
  const predicted = predictTriaged(decoded, cam);
  try {
    const prediction = await predicted;
    if (!sourceOf(job.fileId)) return;
    setFinding(key, { status: 'done', prediction, wallMs: performance.now() - start });
    if (prediction.cam) keepMaps(key);
    // Shown while it ran without maps: run it again with them, first.
    else if (key === shownKey && !prediction.ood.flagged) enqueue({ fileId: job.fileId, frame: job.frame }, true);
  } catch (error) {
    setFinding(key, { status: 'error', error: toSerializedError(error) });
  }
}

async function pump(): Promise<void> {
  if (running >= IN_FLIGHT) return;
  running++;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      queued.delete(findingKey(job.fileId, job.frame));
      publish();
      await runJob(job);
      triageStore.set((s) => ({ ...s, finished: s.finished + 1 }));
    }
  } finally {
    running--;
    // Idle: the last results are shown no later than the queue says it has stopped.
    if (running === 0) flushFindings();
    publish();
  }
}

function startPumps(): void {
  if (triageStore.get().startedAt === undefined || (running === 0 && triageStore.get().queued === 0)) {
    triageStore.set((s) => ({ ...s, finished: 0, startedAt: performance.now() }));
  }
  // Not `cancelled: false`: the image on screen is scored after a cancel too, and that must
  // not restart triage (only resumeTriage does).
  publish();
  startInference();
  for (let i = running; i < IN_FLIGHT; i++) void pump();
}

/** Keeps the maps of the last KEEP_MAPS images that got them; older predictions lose theirs. */
function keepMaps(key: string): void {
  const at = withMaps.indexOf(key);
  if (at >= 0) withMaps.splice(at, 1);
  withMaps.push(key);
  while (withMaps.length > KEEP_MAPS) {
    const old = withMaps.shift() as string;
    const entry = getFinding(old);
    if (entry?.prediction?.cam) setFinding(old, { ...entry, prediction: { ...entry.prediction, cam: undefined } });
  }
}

/**
 * Queues (fileId, frame) unless it is done (with maps, when it is the image on screen) or
 * under way; `urgent` marks the image on screen and puts it first.
 */
export function requestPrediction(fileId: string, frame: number, urgent: boolean): void {
  const key = findingKey(fileId, frame);
  if (urgent) shownKey = key;
  const existing = getFinding(key);
  const needsMaps = urgent && existing?.status === 'done' && existing.prediction !== undefined && !existing.prediction.cam && !existing.prediction.ood.flagged;
  if (existing && existing.status !== 'queued' && !needsMaps) {
    if (urgent && existing.prediction?.cam) keepMaps(key);
    return;
  }
  enqueue({ fileId, frame }, urgent);
}

function enqueue(job: Job, urgent: boolean): void {
  const { fileId, frame } = job;
  const key = findingKey(fileId, frame);
  if (queued.has(key)) {
    if (!urgent) return;
    queue.splice(queue.findIndex((j) => j.fileId === fileId && j.frame === frame), 1);
  }
  queued.add(key);
  if (urgent) queue.unshift({ fileId, frame });
  else queue.push({ fileId, frame });
  startPumps();
}

/** Stops triage: queued images stay unscored (the ones in flight finish). */
export function cancelTriage(): void {
  queue.length = 0;
  queued.clear();
  publish({ cancelled: true });
}

/** Queues again every readable image that has no score yet. */
export function resumeTriage(): void {
  publish({ cancelled: false });
  flushFindings();
  const findings = findingsStore.get();
  for (const file of sessionStore.get().files) {
    if (file.status === 'ready' && !findings.has(findingKey(file.id, 0))) requestPrediction(file.id, 0, false);
  }
}

export function clearQueue(): void {
  queue.length = 0;
  queued.clear();
  withMaps.length = 0;
  shownKey = undefined;
  triageStore.set(() => ({ queued: 0, running, finished: 0, startedAt: undefined, cancelled: false }));
}

let installed = false;
/** Starts the model load and queues every file as its header is read. */
export function installInferenceQueue(): void {
  if (installed) return;
  installed = true;
  startInference();
  onFileReady((fileId) => {
    if (findFile(fileId)?.status !== 'error' && !triageStore.get().cancelled) requestPrediction(fileId, 0, false);
  });
}
