/** Triage progress of the streaming inference queue (features/findings/inference-queue.ts). */
import { createStore } from '../store/create-store.ts';

export interface TriageState {
  /** Jobs waiting. */
  queued: number;
  running: number;
  /** Finished since the queue last started from empty (scores or errors). */
  finished: number;
  /** performance.now() when the queue last started from empty. */
  startedAt: number | undefined;
  /** True after cancel, until triage resumes or the session is cleared (the image on screen is still scored). */
  cancelled: boolean;
}

export const triageStore = createStore<TriageState>({ queued: 0, running: 0, finished: 0, startedAt: undefined, cancelled: false }, { coalesceMs: 100 });
