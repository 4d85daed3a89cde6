/**
 * A small read-only hook for end-to-end tests and the benchmark (`window.__radlocal`):
 * the model input the worker computes for an opened file (Node ↔ browser parity), and
 * the names of opened files. It exposes nothing the page does not already hold.
 */
import { decodeFrame, decodedBytesGauge } from '../shared/decode/decode-client.ts';
import { preprocessInWorker } from '../features/findings/inference-client.ts';
import { flushFilePatches, sessionStore, sourceOf } from '../shared/session/session-store.ts';
import { findingsStore, flushFindings } from '../shared/findings/findings-store.ts';
import { modelStore } from '../shared/findings/model-store.ts';

export interface RadLocalTestHooks {
  /** Model input of frame `frame` of the opened file named `name`, as computed in the inference worker. */
  preprocess(name: string, frame: number): Promise<number[]>;
  /** Timings (ms) of every finished prediction, in completion order: worker stages and page round trip. */
  timings(): Array<{ preprocessMs: number; inferenceMs: number; heatmapMs: number; wallMs: number }>;
  /** Decode time (ms, in the decode worker) of every decoded file. */
  decodeTimings(): number[];
  /** Model fetch + verify + build + warm-up in the worker (ms), once ready. */
  modelLoadMs(): number | undefined;
  /** When (ms since navigation start) the model became ready, the first file decoded and the first score arrived. */
  marks(): Record<string, number>;
  /** Decoded pixels the page holds (bytes), the most it held, the budget, and how many frames. */
  decodedBytes(): { bytes: number; peak: number; budget: number; frames: number };
}

declare global {
  interface Window {
    __radlocal?: RadLocalTestHooks;
  }
}

const marks: Record<string, number> = {};
function markOnce(name: string, reached: boolean): void {
  if (reached && marks[name] === undefined) marks[name] = performance.now();
}

export function installTestHooks(): void {
  marks.entry = performance.now();
  modelStore.subscribe(() => markOnce('modelReady', modelStore.get().state === 'ready'));
  sessionStore.subscribe(() => markOnce('firstFileDecoded', sessionStore.get().files.some((f) => f.status === 'ready')));
  findingsStore.subscribe(() => markOnce('firstScore', [...findingsStore.get().values()].some((e) => e.prediction)));
  window.__radlocal = {
    marks: () => {
      const model = modelStore.get();
      return { ...marks, ...(model.state === 'ready' ? Object.fromEntries(Object.entries(model.stages ?? {}).map(([k, v]) => [`worker.${k}`, v])) : {}) };
    },
    decodedBytes: decodedBytesGauge,
    async preprocess(name, frame) {
      flushFilePatches();
      const file = sessionStore.get().files.find((f) => f.name === name);
      const source = file ? sourceOf(file.id) : undefined;
      if (!file || !source) throw new Error(`No opened file named ${name}`);
      const image = await decodeFrame(file.id, source, frame, (file.image?.numberOfFrames ?? 1) > 1);
      const { data } = await preprocessInWorker(image, 0);
      return Array.from(data);
    },
    decodeTimings() {
      return sessionStore.get().files.flatMap((f) => (f.decodeMs === undefined ? [] : [f.decodeMs]));
    },
    modelLoadMs() {
      const m = modelStore.get();
      return m.state === 'ready' ? m.loadMs : undefined;
    },
    timings() {
      flushFindings();
      return [...findingsStore.get().values()].flatMap((e) =>
        e.prediction
          ? [{ preprocessMs: e.prediction.timings.preprocessMs, inferenceMs: e.prediction.timings.inferenceMs, heatmapMs: e.prediction.timings.postprocessMs, wallMs: e.wallMs ?? NaN }]
          : [],
      );
    },
  };
}
