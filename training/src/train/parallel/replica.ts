/**
 * One replica of the model being trained, as data-parallel training sees it. A training step
 * is a fixed number of micro-batches ("ghost batches": batch norm normalises each over its own
 * images), whoever computes them:
 *
 *   computeMicroBatch(m) → slot m: the gradient of every trainable weight, the batch-norm
 *                          moving statistics this micro-batch alone would leave, and its loss
 *   applyAveraged(slots) → the mean over slots 0…M−1, summed in that order (float64), then one
 *                          Adam update with the mean gradient; the moving statistics become the
 *                          mean of the slots'
 *
 * One thread runs every micro-batch of a step in turn; N worker threads share them, each
 * applies the same mean to its shard of the trainable weights (Adam is element-wise, so a shard's
 * update is the one the whole model's would make) and takes the other shards' results
 * (publishOwn / adoptOthers); the main thread's replica follows only when it is read, and
 * slotsLoss gives it the step's loss. The sums run in slot order everywhere, so the weights
 * after a step do not depend on how many threads computed it, and the replicas stay identical
 * (same code, same WASM kernels, same bytes in). Dropout layers take a fixed seed
 * (training/src/model), so their masks do not depend on the thread either.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { weightedBceWithLogits } from '../loss.ts';

/** One micro-batch: `size` preprocessed images [size, S, S, 1] and their labels [size, L]. */
export interface MicroBatch {
  x: Float32Array;
  y: Float32Array;
  size: number;
}

interface Part {
  offset: number;
  size: number;
  shape: number[];
}

function layout(variables: readonly { shape: readonly (number | null)[] }[], start: number): { parts: Part[]; end: number } {
  let offset = start;
  const parts = variables.map((v) => {
    const shape = v.shape.map((d) => d ?? 1);
    const size = shape.reduce((a, b) => a * b, 1);
    const part = { offset, size, shape };
    offset += size;
    return part;
  });
  return { parts, end: offset };
}

/** Which part of the update a replica applies: shard `index` of `count` (the trainable weights in contiguous runs of about equal size). */
export interface Shard {
  index: number;
  count: number;
}

/** The trainable weights [start, end) of shard `index` of `count`: contiguous, split by size (weights in order). */
export function shardRange(sizes: readonly number[], { index, count }: Shard): { start: number; end: number } {
  const total = sizes.reduce((a, b) => a + b, 0);
  // a weight belongs to the shard its middle falls in
  const owner: number[] = [];
  let offset = 0;
  for (const size of sizes) {
    owner.push(Math.min(count - 1, Math.floor(((offset + size / 2) * count) / Math.max(1, total))));
    offset += size;
  }
  const start = owner.findIndex((o) => o >= index);
  const after = owner.findIndex((o) => o > index);
  return { start: start < 0 ? sizes.length : start, end: after < 0 ? sizes.length : after };
}

/**
 * Adam's state of a replica that updates `range` only, cut from the whole model's
 * (`optimizer.getWeights()` order: step counter, first moments, second moments, in trainable order).
 */
export function shardOptimizerState<T>(state: readonly T[], trainable: number, range: { start: number; end: number }): T[] {
  if (state.length <= 1) return [...state];
  return [state[0]!, ...state.slice(1 + range.start, 1 + range.end), ...state.slice(1 + trainable + range.start, 1 + trainable + range.end)];
}

/** The whole model's Adam state from the shards' (in shard order), inverse of shardOptimizerState. */
export function mergeOptimizerStates<T>(states: readonly (readonly T[])[]): T[] {
  if (states.some((s) => s.length <= 1)) return [...states[0]!];
  const halves = states.map((s) => (s.length - 1) / 2);
  return [states[0]![0]!, ...states.flatMap((s, i) => s.slice(1, 1 + halves[i]!)), ...states.flatMap((s, i) => s.slice(1 + halves[i]!))];
}

/** Splits a batch into `count` equal micro-batches (contiguous images, in order). */
export function splitBatch(batch: MicroBatch, count: number): MicroBatch[] {
  const size = batch.size / count;
  const pixels = batch.x.length / batch.size;
  const labels = batch.y.length / batch.size;
  return Array.from({ length: count }, (_, m) => ({
    x: batch.x.slice(m * size * pixels, (m + 1) * size * pixels),
    y: batch.y.slice(m * size * labels, (m + 1) * size * labels),
    size,
  }));
}

export class Replica {
  private readonly trainable: tfl.LayerVariable[];
  private readonly stats: tfl.LayerVariable[];
  private readonly gradParts: Part[];
  private readonly statParts: Part[];
  private readonly weightsT: tf.Tensor1D;
  /** The moving statistics at the start of the current step (each micro-batch starts from them). */
  private statsAtStep: Float32Array[];
  /** Floats per slot: gradients, moving statistics, loss. */
  readonly slotSize: number;
  /** Floats of all trainable weights (a slot starts with their gradients, at the same offsets). */
  readonly trainableSize: number;
  /** The trainable weights [start, end) this replica's Adam updates; it adopts the others' values. */
  readonly own: { start: number; end: number };

  constructor(
    readonly model: tfl.LayersModel,
    readonly optimizer: tf.AdamOptimizer,
    positiveWeights: Float32Array,
    private readonly inputSize: number,
    shard: Shard = { index: 0, count: 1 },
  ) {
    this.trainable = model.trainableWeights;
    this.stats = model.nonTrainableWeights;
    const grads = layout(this.trainable, 0);
    const stats = layout(this.stats, grads.end);
    this.gradParts = grads.parts;
    this.statParts = stats.parts;
    this.slotSize = stats.end + 1;
    this.trainableSize = grads.end;
    this.own = shardRange(this.gradParts.map((p) => p.size), shard);
    this.weightsT = tf.tensor1d(positiveWeights);
    this.statsAtStep = this.readStats();
  }

  private readStats(): Float32Array[] {
    return this.stats.map((v) => new Float32Array(v.read().dataSync()));
  }

  private writeStats(values: readonly Float32Array[]): void {
    this.stats.forEach((v, i) => {
      const t = tf.tensor(values[i] as Float32Array, this.statParts[i]!.shape, 'float32');
      v.write(t);
      t.dispose();
    });
  }

  /** Call after the model's weights were set from outside (resume, a worker's first message). */
  resync(): void {
    this.statsAtStep = this.readStats();
  }

  /** Computes micro-batch `batch` into `slot` (slotSize floats); the replica's weights are unchanged. */
  computeMicroBatch(batch: MicroBatch, slot: Float32Array): void {
    const S = this.inputSize;
    const L = batch.y.length / batch.size;
    const { value, grads } = tf.variableGrads(() => {
      const x = tf.tensor4d(batch.x, [batch.size, S, S, 1]);
      const y = tf.tensor2d(batch.y, [batch.size, L]);
      const logits = this.model.apply(x, { training: true }) as tf.Tensor2D;
      return weightedBceWithLogits(logits, y, this.weightsT);
    }, this.trainable.map((v) => v.read() as tf.Variable));
    this.trainable.forEach((v, i) => {
      const g = grads[(v.read() as tf.Variable).name];
      slot.set(g ? g.dataSync() : new Float32Array(this.gradParts[i]!.size), this.gradParts[i]!.offset);
    });
    slot[this.slotSize - 1] = value.dataSync()[0] as number;
    tf.dispose([value, ...Object.values(grads)]);
    // batch norm updated its moving statistics from this micro-batch: keep them, then restore
    this.stats.forEach((v, i) => slot.set(v.read().dataSync(), this.statParts[i]!.offset));
    this.writeStats(this.statsAtStep);
  }

  /**
   * Applies the step: the mean of `slots` (in their order) as the gradient of one Adam update at
   * `learningRate` of this replica's own trainable weights (all, unless it has a shard), and as the
   * new moving statistics. @returns the step's loss (mean over slots).
   */
  applyAveraged(slots: readonly Float32Array[], learningRate: number): number {
    const { start, end } = this.own;
    const ranges = [
      [start < end ? this.gradParts[start]!.offset : 0, end > start ? this.gradParts[end - 1]!.offset + this.gradParts[end - 1]!.size : 0],
      [this.trainableSize, this.slotSize],
    ] as const;
    const mean = new Float32Array(this.slotSize);
    for (const [from, to] of ranges) {
      const sum = new Float64Array(to - from);
      for (const slot of slots) for (let j = from; j < to; j++) sum[j - from]! += slot[j] as number;
      for (let j = from; j < to; j++) mean[j] = (sum[j - from] as number) / slots.length;
    }
    // tfjs keeps Adam's rate protected but reads it on every step: the documented way to schedule it.
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    tf.tidy(() => {
      // in trainable-weight order, as every replica and the checkpoint's Adam state have it
      const gradients = this.trainable.slice(start, end).map((v, k) => {
        const p = this.gradParts[start + k]!;
        return { name: (v.read() as tf.Variable).name, tensor: tf.tensor(mean.subarray(p.offset, p.offset + p.size), p.shape, 'float32') };
      });
      this.optimizer.applyGradients(gradients);
    });
    this.statsAtStep = this.statParts.map((p) => mean.slice(p.offset, p.offset + p.size));
    this.writeStats(this.statsAtStep);
    return mean[this.slotSize - 1] as number;
  }

  /** Writes this replica's own trainable weights into `weights` (trainableSize floats, slot offsets). */
  publishOwn(weights: Float32Array): void {
    for (let i = this.own.start; i < this.own.end; i++) weights.set(this.trainable[i]!.read().dataSync(), this.gradParts[i]!.offset);
  }

  /** Takes every trainable weight that is not its own from `weights` (what the other shards published). */
  adoptOthers(weights: Float32Array): void {
    this.trainable.forEach((v, i) => {
      if (i >= this.own.start && i < this.own.end) return;
      const p = this.gradParts[i]!;
      const t = tf.tensor(weights.subarray(p.offset, p.offset + p.size), p.shape, 'float32');
      v.write(t);
      t.dispose();
    });
  }

  /** One whole step in this thread: every micro-batch in turn, then the update. @returns the loss. */
  step(micro: readonly MicroBatch[], learningRate: number): number {
    const slots = micro.map((b) => {
      const slot = new Float32Array(this.slotSize);
      this.computeMicroBatch(b, slot);
      return slot;
    });
    return this.applyAveraged(slots, learningRate);
  }

  dispose(): void {
    this.weightsT.dispose();
  }
}

/** The loss of a step from its slots, as applyAveraged returns it (float64 sum in slot order, mean rounded to float32). */
export function slotsLoss(slots: readonly Float32Array[]): number {
  let sum = 0;
  for (const slot of slots) sum += slot[slot.length - 1] as number;
  return Math.fround(sum / slots.length);
}
