/**
 * The training loop: class-weighted BCE on logits, Adam with warm-up + cosine schedule,
 * validation macro-AUC after every epoch, best weights kept, early stopping, cooperative
 * stop (Ctrl-C) between steps. Data come as async batches so the loop is independent of the
 * dataset reader; each batch is split into `microBatches` ghost batches and the step itself is
 * taken by a StepRunner (one thread, or worker threads: parallel/replica-pool.ts) with the
 * same result either way (parallel/replica.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HistoryEntry } from '../../../core/model/model-card.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { rocAuc } from '../../../core/metrics/metrics.ts';
import { forward } from '../../../core/model/predict.ts';
import { classifierGraph } from '../model/create-model.ts';
import { weightedBceWithLogits } from './loss.ts';
import { splitBatch, type MicroBatch } from './parallel/replica.ts';
import { learningRateAt } from './schedule.ts';

export interface TrainBatch {
  /** [size, H, W, 1] float32, preprocessed (and augmented). */
  x: Float32Array;
  /** [size, labels] float32, 0/1. */
  y: Float32Array;
  size: number;
}

export interface ValidationSet {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export interface TrainLoopOptions {
  labels: readonly string[];
  inputSize: number;
  epochs: number;
  /** Optimisation steps per epoch (for the schedule). */
  stepsPerEpoch: number;
  learningRate: number;
  warmupEpochs: number;
  /** Stop when validation macro-AUC has not improved for this many epochs. */
  patience: number;
  positiveWeights: Float32Array;
  /** Backend name, reported per epoch. */
  backend: string;
  /** Stop (keeping the best weights) once an epoch ends after this many seconds of this run. */
  timeBudgetSeconds?: number;
  /** Ghost batches per step (batch norm statistics per ghost batch); divides every batch size. */
  microBatches: number;
}

/** Takes the optimisation steps (in this thread or in replica workers) for the loop's model. */
export interface StepRunner {
  /** One step over a batch's micro-batches. @returns the step's loss. */
  step(micro: readonly MicroBatch[], learningRate: number): Promise<number>;
  /** Brings the loop's model up to date with the steps taken (before it is read). */
  sync(): Promise<void>;
  /** Adam's state after the steps taken (for a checkpoint). */
  optimizerState(): Promise<OptimizerVariable[]>;
}

export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  step: number;
  bestEpoch: number;
  bestAuc: number;
  history: HistoryEntry[];
  /** Set when the run was stopped (Ctrl-C) or stopped early. */
  stopped?: 'interrupted' | 'early-stopping' | 'time-budget' | undefined;
  /** Steps already taken in epoch `epoch + 1` (a run stopped mid-epoch resumes after them). */
  epochStep?: number;
  /** Loss × images and images of those steps (the epoch's mean loss spans the whole epoch). */
  epochLossSum?: number;
  epochImages?: number;
}

export interface StepInfo {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
  imagesPerSecond: number;
  elapsedSeconds: number;
}

export interface TrainCallbacks {
  onStep?(info: StepInfo): void;
  onEpoch?(entry: HistoryEntry, state: TrainState): Promise<void> | void;
  /** Called with the model's weights whenever validation AUC improves. */
  onBest?(weights: Float32Array[], state: TrainState): Promise<void> | void;
  shouldStop?(): boolean;
}

export function initialState(): TrainState {
  return { epoch: 0, step: 0, bestEpoch: 0, bestAuc: -1, history: [] };
}

/** Snapshot of every model weight (in `model.weights` order), as float32 copies. */
export function weightSnapshot(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => new Float32Array(w.read().dataSync()));
}

export function restoreWeights(model: tfl.LayersModel, snapshot: readonly Float32Array[]): void {
  const tensors = model.weights.map((w, i) => tf.tensor(snapshot[i] as Float32Array, w.shape as number[], 'float32'));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/** One variable of an optimizer's state (`optimizer.getWeights()`), as a float32 copy. */
export interface OptimizerVariable {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Snapshot of the optimizer's state (Adam: step counter and moments), to save or to send to a worker. */
export async function optimizerSnapshot(optimizer: tf.Optimizer): Promise<OptimizerVariable[]> {
  return (await optimizer.getWeights()).map((w) => ({ name: w.name, shape: [...w.tensor.shape], values: new Float32Array(w.tensor.dataSync()) }));
}

export async function restoreOptimizer(optimizer: tf.Optimizer, snapshot: readonly OptimizerVariable[]): Promise<void> {
  await optimizer.setWeights(snapshot.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape, 'float32') })));
}


/** Mean over labels of the ROC AUC (labels without both classes are skipped). */
export function macroAuc(logits: Float32Array, y: Float32Array, n: number, labels: number): number {
  const aucs: number[] = [];
  for (let j = 0; j < labels; j++) {
    const s = Float64Array.from({ length: n }, (_, i) => logits[i * labels + j] as number);
    const t = Float64Array.from({ length: n }, (_, i) => y[i * labels + j] as number);
    const positives = t.reduce((a, b) => a + b, 0);
    if (positives > 0 && positives < n) aucs.push(rocAuc(s, t));
  }
  return aucs.length === 0 ? Number.NaN : aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

/**
 * Trains `model` in place from `state` (a fresh or resumed run) until `options.epochs`,
 * early stopping or `shouldStop()`.
 * @param runner takes each step (it holds the optimizer) and brings `model` up to date on `sync()`.
 * @param batchesForEpoch the training batches of one epoch (1-based epoch number) after its
 *   first `skip` batches (steps already taken before a resume; they yield nothing).
 */
export async function trainLoop(
  model: tfl.LayersModel,
  runner: StepRunner,
  batchesForEpoch: (epoch: number, skip: number) => AsyncIterable<TrainBatch>,
  val: ValidationSet,
  options: TrainLoopOptions,
  state: TrainState,
  callbacks: TrainCallbacks = {},
): Promise<TrainState> {
  const L = options.labels.length;
  const weightsT = tf.tensor1d(options.positiveWeights);
  const graph = classifierGraph(model);
  const totalSteps = options.epochs * options.stepsPerEpoch;
  const warmupSteps = Math.max(1, Math.round(options.warmupEpochs * options.stepsPerEpoch));
  const runStart = globalThis.performance.now();
  try {
    for (let epoch = state.epoch + 1; epoch <= options.epochs; epoch++) {
      const start = globalThis.performance.now();
      // a run stopped mid-epoch resumes after the steps it took (same batches, same result)
      const skip = state.epochStep ?? 0;
      let lossSum = state.epochLossSum ?? 0;
      let images = state.epochImages ?? 0;
      let imagesThisRun = 0;
      let step = skip;
      let learningRate = 0;
      const batches = batchesForEpoch(epoch, skip)[Symbol.asyncIterator]();
      // The next batch is read and augmented while the workers take this step.
      const prefetch = (): Promise<IteratorResult<TrainBatch>> => {
        const next = batches.next();
        next.catch(() => undefined); // observed when awaited; not an unhandled rejection meanwhile
        return next;
      };
      let next = prefetch();
      try {
        for (let item = await next; item.done !== true; item = await next) {
          const batch = item.value;
          if (batch.size % options.microBatches !== 0) {
            throw new RadLocalError('CLI_USAGE', `Expected every batch to split into ${options.microBatches} equal micro-batches, but one holds ${batch.size} images.`);
          }
          learningRate = learningRateAt(state.step, { base: options.learningRate, warmupSteps, totalSteps });
          const micro = splitBatch({ x: batch.x, y: batch.y, size: batch.size }, options.microBatches);
          next = prefetch();
          const value = await runner.step(micro, learningRate);
          lossSum += value * batch.size;
          images += batch.size;
          imagesThisRun += batch.size;
          step++;
          state.step++;
          state.epochStep = step;
          state.epochLossSum = lossSum;
          state.epochImages = images;
          const elapsed = (globalThis.performance.now() - start) / 1000;
          callbacks.onStep?.({ epoch, step, steps: options.stepsPerEpoch, loss: value, imagesPerSecond: imagesThisRun / elapsed, elapsedSeconds: elapsed });
          if (callbacks.shouldStop?.()) {
            state.stopped = 'interrupted';
            await runner.sync();
            return state;
          }
        }
      } finally {
        await next.catch(() => undefined);
        await batches.return?.(undefined);
      }
      state.epochStep = 0;
      state.epochLossSum = 0;
      state.epochImages = 0;
      const trainSeconds = (globalThis.performance.now() - start) / 1000;
      await runner.sync();
      // validation through core/model's inference path, as the exported model will be read
      const valLogits = (await forward(graph, val.x, val.n)).logits;
      const valLoss = tf.tidy(() =>
        (weightedBceWithLogits(tf.tensor2d(valLogits, [val.n, L]), tf.tensor2d(val.y, [val.n, L]), weightsT).dataSync()[0] as number),
      );
      const valAuc = macroAuc(valLogits, val.y, val.n, L);
      const entry: HistoryEntry = {
        epoch,
        loss: lossSum / Math.max(1, images),
        valLoss,
        valAuc: Number.isNaN(valAuc) ? 0 : valAuc,
        learningRate,
        imagesPerSecond: imagesThisRun / trainSeconds,
        seconds: (globalThis.performance.now() - start) / 1000,
      };
      state.epoch = epoch;
      state.history.push(entry);
      if (entry.valAuc > state.bestAuc) {
        state.bestAuc = entry.valAuc;
        state.bestEpoch = epoch;
        await callbacks.onBest?.(weightSnapshot(model), state);
      }
      await callbacks.onEpoch?.(entry, state);
      if (epoch - state.bestEpoch >= options.patience) {
        state.stopped = 'early-stopping';
        return state;
      }
      const elapsed = (globalThis.performance.now() - runStart) / 1000;
      // Stop when the next epoch (as long as this one) would overrun the budget.
      if (options.timeBudgetSeconds !== undefined && epoch < options.epochs && elapsed + entry.seconds > options.timeBudgetSeconds) {
        state.stopped = 'time-budget';
        return state;
      }
      if (callbacks.shouldStop?.()) {
        state.stopped = 'interrupted';
        return state;
      }
    }
    return state;
  } finally {
    weightsT.dispose();
  }
}
