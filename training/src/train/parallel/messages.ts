/**
 * Messages between the training loop (main thread) and its replica workers. Gradients and
 * weights do not travel in messages: every worker writes its micro-batches' slots into one
 * SharedArrayBuffer (stepSlots) and counts them in a shared counter; once the step's slots are
 * all there (the workers wait for each other on that counter, not on the main thread) each
 * worker applies Adam to its shard of the weights, publishes the shard in a second shared
 * buffer, counts it, and once every shard is there takes the others' (stepCounts).
 */
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ResolvedClassifierOptions } from '../../model/create-model.ts';
import type { MicroBatch } from './replica.ts';
import type { OptimizerVariable } from '../train-loop.ts';

/** A deliberate failure, for tests of the crash path only. */
export interface WorkerFault {
  worker: number;
  /** The 0-based step (of this run) at which the worker fails. */
  step: number;
  /** `throw`: an exception in the step; `exit`: the thread ends (process.exit) without a word. */
  kind: 'throw' | 'exit';
}

export interface InitMessage {
  type: 'init';
  index: number;
  /** Workers in the pool (= shards of the update). */
  workers: number;
  model: ResolvedClassifierOptions;
  learningRate: number;
  positiveWeights: Float32Array;
  /** Model weights in `model.weights` order. */
  weights: Float32Array[];
  /** The whole model's Adam state (`optimizer.getWeights()`), when resuming; each worker keeps its shard's. */
  optimizer?: OptimizerVariable[];
  /** The step's slots (sharedFloats). */
  shared: SharedArrayBuffer;
  /** The trainable weights after the step (Replica.trainableSize floats), each shard written by its worker. */
  sharedWeights: SharedArrayBuffer;
  /** One Int32: slots and shards written since the pool started (stepCounts). */
  counter: SharedArrayBuffer;
  slotSize: number;
  microBatches: number;
  fault?: WorkerFault;
}

export interface StepMessage {
  type: 'step';
  /** Step number of this pool (0-based; stepCounts). */
  step: number;
  learningRate: number;
  micro: { index: number; batch: MicroBatch }[];
}

export type ToWorker = InitMessage | StepMessage | { type: 'snapshot' } | { type: 'optimizer' };

export type FromWorker =
  | { type: 'ready'; index: number }
  /** The step is applied in this worker's replica. */
  | { type: 'stepped'; index: number; step: number }
  | { type: 'snapshot'; index: number; weights: Float32Array[] }
  /** This worker's shard of Adam's state (shardOptimizerState). */
  | { type: 'optimizer'; index: number; optimizer: OptimizerVariable[] }
  | { type: 'error'; index: number; error: SerializedError };

/** Floats of the shared buffer: one slot per micro-batch of a step. */
export function sharedFloats(microBatches: number, slotSize: number): number {
  return microBatches * slotSize;
}

/**
 * The shared counter's value once every slot of `step` is written, and once every shard of it is
 * published: each step adds one per micro-batch, then one per worker.
 */
export function stepCounts(step: number, microBatches: number, workers: number): { slots: number; shards: number } {
  const before = step * (microBatches + workers);
  return { slots: before + microBatches, shards: before + microBatches + workers };
}

/** The slots of a step, in micro-batch order (views into the shared buffer). */
export function stepSlots(view: Float32Array, microBatches: number, slotSize: number): Float32Array[] {
  return Array.from({ length: microBatches }, (_, m) => view.subarray(m * slotSize, (m + 1) * slotSize));
}
