/**
 * Messages between the training loop (main thread) and its replica workers. Gradients do not
 * travel in messages: every worker writes its micro-batches' slots into one SharedArrayBuffer
 * (stepSlots), counts them in a shared counter, and once the step's slots are all there
 * (the workers wait for each other on that counter, not on the main thread) every worker reads
 * them all and applies the same update.
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
  model: ResolvedClassifierOptions;
  learningRate: number;
  positiveWeights: Float32Array;
  /** Model weights in `model.weights` order. */
  weights: Float32Array[];
  /** Adam's state (`optimizer.getWeights()`), when resuming. */
  optimizer?: OptimizerVariable[];
  /** The step's slots (sharedFloats). */
  shared: SharedArrayBuffer;
  /** One Int32: micro-batches written since the pool started (stepsDone · microBatches + this step's). */
  counter: SharedArrayBuffer;
  slotSize: number;
  microBatches: number;
  fault?: WorkerFault;
}

export interface StepMessage {
  type: 'step';
  /** Step number of this pool (0-based): the counter reaches (step + 1) · microBatches when its slots are all written. */
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
  | { type: 'optimizer'; index: number; optimizer: OptimizerVariable[] }
  | { type: 'error'; index: number; error: SerializedError };

/** Floats of the shared buffer: one slot per micro-batch of a step. */
export function sharedFloats(microBatches: number, slotSize: number): number {
  return microBatches * slotSize;
}

/** The slots of a step, in micro-batch order (views into the shared buffer). */
export function stepSlots(view: Float32Array, microBatches: number, slotSize: number): Float32Array[] {
  return Array.from({ length: microBatches }, (_, m) => view.subarray(m * slotSize, (m + 1) * slotSize));
}
