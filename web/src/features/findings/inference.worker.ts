/**
 * The viewer's inference path (core/model's predictImage), off the main thread.
 * This entry is small: TensorFlow.js and the model code (inference-engine.ts) load as a second
 * chunk, imported by init as soon as the model card is requested, while the files are fetched and verified.
 * The model's files are read once through core's readModelFiles (fetched in parallel),
 * every file checked against the card's SHA-256 before use
 * (MODEL_INTEGRITY_MISMATCH → no scores) — once: each backend builds from those verified
 * files without parsing or hashing the card again — then built on the fastest backend that works:
 * candidates are tried in order (WASM, WebGL, CPU) with a warm-up inference; in 'auto'
 * the first that works answers at once and the others are measured when the worker is
 * idle, switching if one is faster. A backend that fails (or loses its WebGL context) is
 * dropped for the next.
 */
import { RadLocalError, toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { LoadedModel } from '../../../../core/model/load-model.ts';
import { readModelFiles, type VerifiedModelFiles } from '../../../../core/model/model-files.ts';
import { preprocessFrame } from '../../../../core/preprocess/preprocess-frame.ts';
import type { BackendChoice, BackendName, BackendTrial, InferenceRequest, InferenceResponse, ModelStatus } from '../../shared/findings/inference-messages.ts';
import { reportWorkerResourceTiming } from '../../shared/privacy/worker-resource-timing.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Cold-start stages: absolute times (ms since the epoch) until init gives the page's clock. */
const stages: Record<string, number> = {};
function stage(name: string): void {
  stages[name] = performance.timeOrigin + performance.now();
}
let pageOrigin = performance.timeOrigin;
function sinceNavigation(absolute: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(absolute).map(([k, v]) => [k, v - pageOrigin]));
}
// When the page created this worker (its time origin), then its first statement: the gap is
// fetching, compiling and evaluating this bundle.
stages.workerCreated = performance.timeOrigin;
stage('workerStart');
/** TensorFlow.js and the model code: imported by init once the model card's request is out, so both load at once. */
type Engine = typeof import('./inference-engine.ts');
let tfjs: Engine | undefined;
let engineLoad: Promise<Engine> | undefined;
function loadEngine(): Promise<Engine> {
  engineLoad ??= import('./inference-engine.ts').then(
    (loaded) => {
      stage('engineLoaded');
      return (tfjs = loaded);
    },
    (error: unknown) => {
      throw new RadLocalError('MODEL_LOAD_FAILED', `The inference code could not be loaded into this page: ${error instanceof Error ? error.message : String(error)}.`);
    },
  );
  return engineLoad;
}
// The privacy audit lists this worker's own requests (model files, tfjs .wasm).
reportWorkerResourceTiming();
const ORDER: BackendName[] = ['wasm', 'webgl', 'cpu'];
const IDLE_BEFORE_PROBE_MS = 1500;

let files: VerifiedModelFiles | undefined;
let model: LoadedModel | undefined;
let backend: BackendName | undefined;
let status: ModelStatus = { state: 'loading' };
const trials = new Map<BackendName, BackendTrial>();
let candidates: BackendName[] = [];
let probeTimer: ReturnType<typeof setTimeout> | undefined;
let chain: Promise<unknown> = Promise.resolve();

function post(message: InferenceResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function setStatus(next: ModelStatus): void {
  status = next;
  post({ type: 'status', status });
}

/**
 * Tells the page the ready model's backend trials changed — not the whole status again: that
 * carries the card (with its OOD statistics, ≈ 640 kB for the default model).
 */
function publishTrials(): void {
  if (status.state !== 'ready') return;
  status = { ...status, trials: [...trials.values()] };
  post({ type: 'trials', trials: status.trials });
}

/** Reads a model file over HTTP from the app's own origin. */
function fetchReader(modelUrl: string): (path: string) => Promise<Uint8Array> {
  return async (path) => {
    const response = await fetch(new URL(path, modelUrl));
    // A static server answers a missing file with the app's index.html (SPA fallback): treat that as missing.
    if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) {
      throw new RadLocalError('MODEL_LOAD_FAILED', `The model file "${path}" is not available from this app (HTTP ${response.status}): no model is installed at ${modelUrl}.`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** One inference with CAM on a blank input, ms. */
async function timeRun(loaded: LoadedModel): Promise<number> {
  const { height, width, channels } = loaded.card.input;
  const { predictBatch } = await loadEngine();
  const t0 = performance.now();
  await predictBatch(loaded, new Float32Array(height * width * channels), 1, { cam: true });
  return performance.now() - t0;
}

/** Predict requests received and not started yet. */
let waitingPredictions = 0;

/**
 * Builds the model on `name` and warms it up (one inference with CAM: the first pays the
 * backend's one-time costs). `warmMs` is the second run when `timed` (backend probes), else the
 * warm-up itself: the first backend answers at once, its warm time is measured before probing.
 * The first backend skips the blank warm-up when an image is already waiting (the cold start):
 * that image's inference pays the one-time costs instead of waiting behind a blank one, and a
 * backend that fails on it is dropped as if it had failed its warm-up (predict's fallback).
 * `warmMs` is then undefined until a prediction times it.
 */
async function tryBackend(name: BackendName, timed: boolean): Promise<{ loaded: LoadedModel; warmMs: number | undefined }> {
  if (!files) throw new RadLocalError('MODEL_LOAD_FAILED', 'The model files are not loaded.');
  const { activateBackend, loadModel } = await loadEngine();
  await activateBackend(name);
  stage(`${name}Ready`);
  const loaded = await loadModel(files);
  stage(`${name}Built`);
  if (!timed && waitingPredictions > 0) return { loaded, warmMs: undefined };
  try {
    const first = await timeRun(loaded);
    const warmMs = timed ? await timeRun(loaded) : first;
    stage(`${name}Warm`);
    return { loaded, warmMs };
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}

function adopt(name: BackendName, loaded: LoadedModel, loadMs: number): void {
  model?.dispose();
  model = loaded;
  backend = name;
  predictionsOnBackend = 0;
  // tfjs is loaded: a model was just built with it.
  if (name === 'webgl') tfjs?.watchWebglContext(() => void enqueue(() => dropBackend('webgl', 'WebGL context lost')));
  setStatus({ state: 'ready', card: loaded.card, modelSha256: loaded.modelSha256, backend: name, trials: [...trials.values()], loadMs, stages: sinceNavigation(stages) });
}

/** Activates the first candidate that works; throws BACKEND_UNAVAILABLE when none does. */
async function activateFirstWorking(startedAt: number): Promise<void> {
  for (const name of candidates) {
    if (trials.get(name)?.error) continue;
    try {
      const { loaded, warmMs } = await tryBackend(name, false);
      trials.set(name, { backend: name, ...(warmMs === undefined ? {} : { warmMs }) });
      adopt(name, loaded, performance.now() - startedAt);
      // Its time is its cold warm-up, or none: its predictions time it (noteWarmTime).
      timedByPredictions = true;
      return;
    } catch (error) {
      if (error instanceof RadLocalError && error.code !== 'BACKEND_UNAVAILABLE') throw error;
      trials.set(name, { backend: name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new RadLocalError('BACKEND_UNAVAILABLE', 'No TensorFlow.js backend (WASM, WebGL, CPU) works in this browser, so no second opinion can be computed.');
}

async function dropBackend(name: BackendName, reason: string): Promise<void> {
  trials.set(name, { backend: name, error: reason });
  if (backend !== name) return;
  model?.dispose();
  model = undefined;
  backend = undefined;
  await activateFirstWorking(performance.now());
}

/** Measures the candidates not tried yet (idle time only) and switches to a faster one. */
async function probeOthers(): Promise<void> {
  // The backend in use was timed on its warm-up run: time a warm one before comparing.
  if (model && backend) {
    trials.set(backend, { backend, warmMs: await timeRun(model) });
    timedByPredictions = false;
  }
  for (const name of candidates) {
    if (trials.has(name) || !model || !backend) continue;
    const current = backend;
    const currentMs = trials.get(current)?.warmMs ?? Infinity;
    try {
      const { loaded, warmMs = Infinity } = await tryBackend(name, true);
      trials.set(name, { backend: name, warmMs });
      if (warmMs < currentMs * 0.8) {
        adopt(name, loaded, 0);
        continue;
      }
      loaded.dispose();
    } catch (error) {
      trials.set(name, { backend: name, error: error instanceof Error ? error.message : String(error) });
    }
    await (await loadEngine()).activateBackend(current);
    publishTrials();
  }
}

function scheduleProbe(): void {
  if (probeTimer !== undefined) clearTimeout(probeTimer);
  if (candidates.every((c) => trials.has(c))) return;
  probeTimer = setTimeout(() => {
    probeTimer = undefined;
    void enqueue(probeOthers);
  }, IDLE_BEFORE_PROBE_MS);
}

async function init(modelUrl: string, choice: BackendChoice, navigationStart: number): Promise<void> {
  const startedAt = performance.now();
  pageOrigin = navigationStart;
  stage('init');
  // An explicit choice (bench, tests) uses that backend only; 'auto' keeps the others as fallbacks.
  candidates = choice === 'auto' ? [...ORDER] : [choice];
  // The first backend's runtime (WASM: fetch and compile its binary) starts while the model's
  // files are read; a failure shows again when that backend is tried.
  const reading = readModelFiles(fetchReader(modelUrl));
  const runtime = loadEngine()
    .then((e) => e.activateBackend(candidates[0] as BackendName))
    .catch(() => undefined);
  setStatus({ state: 'loading' });
  try {
    files = await reading;
    stage('filesRead');
    // Verified: the page may have triaged frames preprocessed by its decode workers from now on.
    setStatus({ state: 'loading', preprocessing: files.card.preprocessing });
    await runtime;
    await activateFirstWorking(startedAt);
    if (choice === 'auto') scheduleProbe();
  } catch (error) {
    setStatus({ state: 'error', error: toSerializedError(error, 'MODEL_LOAD_FAILED') });
  }
}

/** Predictions run on the current backend since it was adopted (the first pays its one-time costs). */
let predictionsOnBackend = 0;
/**
 * Whether the current backend's warm time comes from its predictions: so for the first backend
 * adopted (its time is its warm-up — the cold first run — or none, when an image was waiting)
 * until an idle probe times it warm.
 */
let timedByPredictions = false;
/**
 * Such a backend is timed by its predictions: the fastest since its second (the first pays the
 * one-time costs; the early ones run JIT-cold and share the cores with a worklist's decoding), or
 * its warm-up when that was faster. Reported again when it improves by more than a tenth.
 */
function noteWarmTime(inferenceMs: number): void {
  predictionsOnBackend++;
  if (!backend || !timedByPredictions || predictionsOnBackend < 2) return;
  const trial = trials.get(backend);
  if (!trial || trial.error !== undefined || (trial.warmMs !== undefined && inferenceMs >= 0.9 * trial.warmMs)) return;
  trials.set(backend, { ...trial, warmMs: inferenceMs });
  publishTrials();
}

async function predict(id: number, request: Extract<InferenceRequest, { type: 'predict' | 'predict-input' }>): Promise<void> {
  const run = async (): Promise<void> => {
    if (!model) throw status.state === 'error' ? new RadLocalError(status.error.code, status.error.message) : new RadLocalError('MODEL_LOAD_FAILED', 'The model is not loaded.');
    const { predictImage, predictPreprocessed } = await loadEngine();
    const cam = request.cam !== false;
    let prediction;
    if (request.type === 'predict') prediction = await predictImage(model, request.image, { frameIndex: 0, cam });
    else {
      const { input } = request;
      if (input.preprocessing !== JSON.stringify(model.card.preprocessing)) {
        throw new RadLocalError('MODEL_INPUT_MISMATCH', 'This image was preprocessed for another model than the one now loaded: open it again to have it scored.');
      }
      prediction = await predictPreprocessed(model, input, request.header, { cam, preprocessMs: input.preprocessMs });
    }
    const transfer = Object.values(prediction.cam ?? {}).map((m) => m.data.buffer as ArrayBuffer);
    post({ type: 'prediction', id, ok: true, prediction }, transfer);
    noteWarmTime(prediction.timings.inferenceMs);
  };
  try {
    await run();
  } catch (error) {
    const typed = error instanceof RadLocalError;
    if (!typed && backend) {
      // A backend failure, not a problem of the image: fall back and retry once.
      try {
        await dropBackend(backend, error instanceof Error ? error.message : String(error));
        await run();
        return;
      } catch (retryError) {
        post({ type: 'prediction', id, ok: false, error: toSerializedError(retryError) });
        return;
      }
    }
    post({ type: 'prediction', id, ok: false, error: toSerializedError(error) });
  } finally {
    if (candidates.length > 1) scheduleProbe();
  }
}

function preprocess(id: number, request: Extract<InferenceRequest, { type: 'preprocess' }>): void {
  try {
    if (!model) throw new RadLocalError('MODEL_LOAD_FAILED', 'The model is not loaded.');
    const input = preprocessFrame(request.image, 0, model.card.preprocessing);
    post({ type: 'preprocessed', id, ok: true, data: input.data, geometry: input.geometry }, [input.data.buffer as ArrayBuffer]);
  } catch (error) {
    post({ type: 'preprocessed', id, ok: false, error: toSerializedError(error) });
  }
}

function enqueue(task: () => Promise<void> | void): Promise<unknown> {
  chain = chain.then(task, task);
  return chain;
}

scope.onmessage = (event: MessageEvent<InferenceRequest>) => {
  const request = event.data;
  if (request.type === 'init') void enqueue(() => init(request.modelUrl, request.backend, request.navigationStart));
  else if (request.type === 'predict' || request.type === 'predict-input') {
    if (probeTimer !== undefined) clearTimeout(probeTimer);
    waitingPredictions++;
    void enqueue(() => {
      waitingPredictions--;
      return predict(request.id, request);
    });
  } else void enqueue(() => preprocess(request.id, request));
};
