/**
 * Messages between the training loop (main thread) and its replica workers. Gradients do not
 * travel in messages: every worker writes its micro-batches' slots into one SharedArrayBuffer
 * (slotOffset) and every replica reads all slots of the step from it.
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
  shared: SharedArrayBuffer;
  slotSize: number;
  microBatches: number;
  fault?: WorkerFault;
}

export interface StepMessage {
  type: 'step';
  /** Step number of this run (0-based); its parity picks the half of the shared buffer. */
  step: number;
  micro: { index: number; batch: MicroBatch }[];
}

export interface ApplyMessage {
  type: 'apply';
  step: number;
  learningRate: number;
}

export type ToWorker = InitMessage | StepMessage | ApplyMessage | { type: 'snapshot' };

export type FromWorker =
  | { type: 'ready'; index: number }
  | { type: 'computed'; index: number; step: number }
  | { type: 'snapshot'; index: number; weights: Float32Array[] }
  | { type: 'error'; index: number; error: SerializedError };

/** Floats of the shared buffer: two halves (even and odd steps) of `microBatches` slots. */
export function sharedFloats(microBatches: number, slotSize: number): number {
  return 2 * microBatches * slotSize;
}

/** Where micro-batch `index` of `step` lives in the shared Float32Array. */
export function slotOffset(step: number, index: number, microBatches: number, slotSize: number): number {
  return ((step % 2) * microBatches + index) * slotSize;
}

/** The slots of `step`, in micro-batch order (views into the shared buffer). */
export function stepSlots(view: Float32Array, step: number, microBatches: number, slotSize: number): Float32Array[] {
  return Array.from({ length: microBatches }, (_, m) => {
    const offset = slotOffset(step, m, microBatches, slotSize);
    return view.subarray(offset, offset + slotSize);
  });
}
