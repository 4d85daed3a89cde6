/**
 * How many replica workers and ghost batches a training run uses.
 *
 * Ghost batches: every step splits its batch into M micro-batches of G images (batch norm
 * normalises over each micro-batch); M depends only on the batch size (and --ghost-batch),
 * never on the machine, so a seed trains the same model on any number of workers. By default
 * M = 2 (G = half the batch): fewer, larger micro-batches keep the kernels efficient (each
 * micro-batch is a separate pass), and two is what this project's 2-core machine can use.
 * More cores need more micro-batches: --ghost-batch batch/cores.
 *
 * Workers (`auto`): one per core (os.availableParallelism()), at most one per micro-batch, and
 * none at all (the step runs in the main thread) on a single core or on a backend other than
 * WebAssembly — the workers run RadLocal's WASM kernels, and the main thread's replica must
 * compute exactly as they do. The main thread itself only feeds batches (decoding is cached
 * after the first epoch) and applies the averaged update, so it does not take a core away.
 */
import { availableParallelism } from 'node:os';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';

/** Ghost batches per step by default (when the batch size is even and at least 4). */
export const DEFAULT_MICRO_BATCHES = 2;

/** Images per micro-batch: `requested`, or batch / DEFAULT_MICRO_BATCHES (the whole batch when it does not split). */
export function ghostBatchSize(batchSize: number, requested?: number): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || batchSize % requested !== 0) {
      throw new RadLocalError('CLI_USAGE', `Expected --ghost-batch to divide the batch size ${batchSize}, but got ${requested}.`);
    }
    return requested;
  }
  return batchSize >= 2 * DEFAULT_MICRO_BATCHES && batchSize % DEFAULT_MICRO_BATCHES === 0 ? batchSize / DEFAULT_MICRO_BATCHES : batchSize;
}

export type WorkerRequest = number | 'auto';

export interface WorkerPlan {
  /** Replica worker threads; 1 means the step runs in the main thread. */
  workers: number;
  /** One sentence: why this many. */
  reason: string;
}

export function planWorkers(requested: WorkerRequest, microBatches: number, backend: string, cores = availableParallelism()): WorkerPlan {
  if (requested === 'auto') {
    if (backend !== 'wasm') return { workers: 1, reason: `auto: one thread (worker threads run the WebAssembly backend, this run uses ${backend})` };
    if (cores < 2) return { workers: 1, reason: 'auto: one thread (one core available)' };
    const workers = Math.min(cores, microBatches);
    if (workers < 2) return { workers: 1, reason: `auto: one thread (a step has ${microBatches} micro-batch; lower --ghost-batch or raise --batch-size to share it)` };
    return { workers, reason: `auto: ${workers} worker threads (${cores} cores, ${microBatches} micro-batches per step)` };
  }
  if (!Number.isInteger(requested) || requested < 1) throw new RadLocalError('CLI_USAGE', `Expected --workers to be a positive integer or "auto", but got ${requested}.`);
  if (requested > 1 && backend !== 'wasm') {
    throw new RadLocalError('CLI_USAGE', `Expected the WebAssembly backend for --workers ${requested} (each worker runs RadLocal's WASM kernels), but this run uses ${backend}; use --backend wasm or --workers 1.`);
  }
  if (requested > microBatches) {
    return { workers: microBatches, reason: `${microBatches} worker thread(s), not ${requested}: a step has only ${microBatches} micro-batches (raise --batch-size or lower --ghost-batch)` };
  }
  return { workers: requested, reason: requested === 1 ? 'one thread (--workers 1)' : `${requested} worker threads (--workers ${requested})` };
}
