/**
 * Background inference for the worklist: every opened image (first frame) is queued as it
 * decodes; the image on screen jumps the queue. Two requests in flight at most: the worker
 * never idles during a round trip, and the rest of the order can still change.
 */
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { onFileReady } from '../studies/open-files.ts';
import { findFile } from '../studies/session-store.ts';
import { findingKey, findingsStore, setFinding } from './findings-store.ts';
import { predictFrame, startInference } from './inference-client.ts';

interface Job {
  fileId: string;
  frame: number;
}

const IN_FLIGHT = 2;
const queue: Job[] = [];
let running = 0;

async function pump(): Promise<void> {
  if (running >= IN_FLIGHT) return;
  running++;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const key = findingKey(job.fileId, job.frame);
      const image = findFile(job.fileId)?.image;
      if (!image) continue; // closed since it was queued
      setFinding(key, { status: 'running' });
      const start = performance.now();
      try {
        const prediction = await predictFrame(image, job.frame);
        setFinding(key, { status: 'done', prediction, wallMs: performance.now() - start });
      } catch (error) {
        setFinding(key, { status: 'error', error: toSerializedError(error) });
      }
    }
  } finally {
    running--;
  }
}

/** Queues (fileId, frame) unless it is done or under way; `urgent` puts it first. */
export function requestPrediction(fileId: string, frame: number, urgent: boolean): void {
  const key = findingKey(fileId, frame);
  const existing = findingsStore.get().get(key);
  if (existing && existing.status !== 'queued') return;
  const at = queue.findIndex((j) => j.fileId === fileId && j.frame === frame);
  if (at >= 0) {
    if (!urgent) return;
    queue.splice(at, 1);
  }
  if (urgent) queue.unshift({ fileId, frame });
  else queue.push({ fileId, frame });
  if (!existing) setFinding(key, { status: 'queued' });
  startInference();
  void pump();
  void pump();
}

export function clearQueue(): void {
  queue.length = 0;
}

let installed = false;
/** Starts the model load and queues every file as it becomes ready. */
export function installInferenceQueue(): void {
  if (installed) return;
  installed = true;
  startInference();
  onFileReady((file) => requestPrediction(file.id, 0, false));
}
