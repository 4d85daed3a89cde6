/**
 * The training loop: class-weighted BCE on logits, Adam with warm-up + cosine schedule,
 * validation macro-AUC after every epoch, best weights kept, early stopping, cooperative
 * stop (Ctrl-C) between steps. Data come as async batches so the loop is independent of the
 * dataset reader.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HistoryEntry } from '../../../core/model/model-card.ts';
import { rocAuc } from '../../../core/metrics/metrics.ts';
import { forward } from '../../../core/model/predict.ts';
import { classifierGraph } from '../model/create-model.ts';
import { weightedBceWithLogits } from './loss.ts';
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
 * @param batchesForEpoch the training batches of one epoch (1-based epoch number).
 */
export async function trainLoop(
  model: tfl.LayersModel,
  optimizer: tf.AdamOptimizer,
  batchesForEpoch: (epoch: number) => AsyncIterable<TrainBatch>,
  val: ValidationSet,
  options: TrainLoopOptions,
  state: TrainState,
  callbacks: TrainCallbacks = {},
): Promise<TrainState> {
  const L = options.labels.length;
  const S = options.inputSize;
  const weightsT = tf.tensor1d(options.positiveWeights);
  const graph = classifierGraph(model);
  const totalSteps = options.epochs * options.stepsPerEpoch;
  const warmupSteps = Math.max(1, Math.round(options.warmupEpochs * options.stepsPerEpoch));
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const runStart = globalThis.performance.now();
  try {
    for (let epoch = state.epoch + 1; epoch <= options.epochs; epoch++) {
      const start = globalThis.performance.now();
      let lossSum = 0;
      let images = 0;
      let step = 0;
      let learningRate = 0;
      for await (const batch of batchesForEpoch(epoch)) {
        learningRate = learningRateAt(state.step, { base: options.learningRate, warmupSteps, totalSteps });
        // tfjs keeps Adam's rate protected but reads it on every step: the documented way to schedule it.
        (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
        const loss = optimizer.minimize(
          () => {
            const x = tf.tensor4d(batch.x, [batch.size, S, S, 1]);
            const y = tf.tensor2d(batch.y, [batch.size, L]);
            const logits = model.apply(x, { training: true }) as tf.Tensor2D;
            return weightedBceWithLogits(logits, y, weightsT);
          },
          true,
          trainable,
        );
        const value = (await loss!.data())[0] as number;
        loss!.dispose();
        lossSum += value * batch.size;
        images += batch.size;
        step++;
        state.step++;
        const elapsed = (globalThis.performance.now() - start) / 1000;
        callbacks.onStep?.({ epoch, step, steps: options.stepsPerEpoch, loss: value, imagesPerSecond: images / elapsed, elapsedSeconds: elapsed });
        if (callbacks.shouldStop?.()) {
          state.stopped = 'interrupted';
          return state;
        }
      }
      const trainSeconds = (globalThis.performance.now() - start) / 1000;
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
        imagesPerSecond: images / trainSeconds,
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
