/**
 * RadLocal's gradients against tfjs's own (kept aside before they are replaced): Sum and Mean
 * the same values bit for bit, on the cpu and the wasm backend, for batch-norm statistics,
 * global average pooling, keepDims, negative and single axes; FusedBatchNorm (batch norm in
 * training: statistics from the batch, so the gradient flows through them too) within 1e-5 of
 * tfjs's on the cpu backend, on both backends, and tfjs's own values for
 * the statistics shapes it leaves to tfjs; no tensor leaked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs's gradients (tfjs-core's Node bundle alone has none).
import '@tensorflow/tfjs';
import { FusedBatchNorm, getGradient, Mean, registerGradient, Sum, type GradConfig } from '@tensorflow/tfjs-core';
import { RADLOCAL_GRADIENTS, registerRadLocalGradients } from './gradients.ts';
import { relativeError, seededValues } from './kernels/kernel-test-utils.ts';
import { selectBackend } from './select-backend.ts';

const tfjs: GradConfig[] = [getGradient(Sum), getGradient(Mean), getGradient(FusedBatchNorm)];
afterAll(() => registerRadLocalGradients());

const CASES: { op: 'sum' | 'mean'; shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
  { op: 'mean', shape: [4, 9, 7, 16], axis: [0, 1, 2] }, // batch-norm statistics
  { op: 'mean', shape: [4, 9, 7, 16], axis: [0, 1, 2], keepDims: true },
  { op: 'mean', shape: [3, 5, 5, 12], axis: [1, 2] }, // global average pooling
  { op: 'mean', shape: [6, 7], axis: -1 },
  { op: 'mean', shape: [5, 3, 4], axis: [0, 2], keepDims: true },
  { op: 'sum', shape: [4, 9, 7, 16], axis: [0, 1, 2] },
  { op: 'sum', shape: [3, 5, 5, 12], axis: [-3, -2], keepDims: true },
  { op: 'sum', shape: [6, 7], axis: 0 },
];

/** d/dx of Σ w·reduce(x) for a seeded x and w (so dy is not all ones). */
function gradientOf(c: (typeof CASES)[number], seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(seededValues(c.shape.reduce((a, b) => a * b, 1), seed), c.shape);
    const f = (v: tf.Tensor): tf.Tensor => {
      const r = c.op === 'sum' ? tf.sum(v, c.axis, c.keepDims) : tf.mean(v, c.axis, c.keepDims);
      const w = tf.tensor(seededValues(r.size, seed + 1), r.shape);
      return tf.sum(tf.mul(r, w));
    };
    return tf.grad(f)(x).dataSync() as Float32Array;
  });
}

// (tfjs 4.22 differentiates batch norm only with both scale and offset: its tape needs every input)
const NORM_CASES: { shape: number[]; keepDims?: boolean }[] = [
  { shape: [4, 9, 7, 16] },
  { shape: [3, 5, 5, 12] },
  { shape: [2, 6, 5, 3] },
  { shape: [6, 7] },
];

/**
 * d/d(x, scale, offset) of Σ w·batchNorm(x, mean(x), var(x), offset, scale) (batch norm in
 * training, as tfjs-layers builds it), concatenated.
 */
function normGradients(c: (typeof NORM_CASES)[number], seed: number): Float32Array {
  return tf.tidy(() => {
    const C = c.shape[c.shape.length - 1]!;
    const axes = c.shape.slice(0, -1).map((_, i) => i);
    const x = tf.tensor(seededValues(c.shape.reduce((a, b) => a * b, 1), seed), c.shape).mul(3).add(0.5);
    const statistics = c.keepDims ? [...axes.map(() => 1), C] : [C];
    const scale = tf.tensor(seededValues(C, seed + 1), statistics).add(1.2);
    const offset = tf.tensor(seededValues(C, seed + 2), statistics);
    const w = tf.tensor(seededValues(x.size, seed + 3), c.shape);
    const f = (v: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(v, axes, c.keepDims);
      const y = tf.batchNorm(v, mean, variance, o, s, 1e-3);
      return tf.sum(tf.mul(y, w));
    };
    const grads = tf.grads(f)([x, scale, offset]);
    return Float32Array.from(grads.flatMap((g) => Array.from(g.dataSync())));
  });
}

/** Runs `run` with tfjs's gradients or with RadLocal's (registered the way selectBackend does). */
function withGradients(configs: readonly GradConfig[], run: () => Float32Array): Float32Array {
  if (configs === RADLOCAL_GRADIENTS) registerRadLocalGradients();
  else configs.forEach((config) => registerGradient(config));
  return run();
}

describe("RadLocal's Sum and Mean gradients", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equal tfjs's bit for bit on ${backend}`, async () => {
      if (backend === 'wasm') await selectBackend('wasm');
      else await tf.setBackend('cpu');
      CASES.forEach((c, i) => {
        const reference = withGradients(tfjs, () => gradientOf(c, 100 + i));
        const ours = withGradients(RADLOCAL_GRADIENTS, () => gradientOf(c, 100 + i));
        expect(ours.length, JSON.stringify(c)).toBe(c.shape.reduce((a, b) => a * b, 1));
        expect(Array.from(ours), JSON.stringify(c)).toEqual(Array.from(reference));
      });
    });
  }

  it("FusedBatchNorm's matches tfjs's (cpu backend) on cpu and wasm", async () => {
    await tf.setBackend('cpu');
    const references = NORM_CASES.map((c, i) => withGradients(tfjs, () => normGradients(c, 200 + i)));
    for (const backend of ['cpu', 'wasm'] as const) {
      if (backend === 'wasm') await selectBackend('wasm');
      else await tf.setBackend('cpu');
      NORM_CASES.forEach((c, i) => {
        const ours = withGradients(RADLOCAL_GRADIENTS, () => normGradients(c, 200 + i));
        const label = `${backend} ${JSON.stringify(c)}`;
        expect(ours.length, label).toBe(references[i]!.length);
        expect(relativeError(ours, references[i]!), label).toBeLessThanOrEqual(1e-5);
      });
    }
    // statistics kept as [1, 1, 1, C] go to tfjs's gradient (which, in 4.22, cannot take them either)
    const kept = { shape: [3, 4, 4, 8], keepDims: true };
    const message = (configs: readonly GradConfig[]): string => {
      try {
        withGradients(configs, () => normGradients(kept, 1));
        return 'no error';
      } catch (error) {
        return String(error);
      }
    };
    expect(message(RADLOCAL_GRADIENTS)).toBe(message(tfjs));
    expect(message(tfjs)).toMatch(/must match the product of shape 1,1,1,8/);
  });

  it('are the ones selectBackend(wasm) leaves registered, and leak no tensor', async () => {
    withGradients(tfjs, () => new Float32Array());
    await selectBackend('wasm');
    expect(getGradient(Sum)).toBe(RADLOCAL_GRADIENTS[0]);
    expect(getGradient(Mean)).toBe(RADLOCAL_GRADIENTS[1]);
    expect(getGradient(FusedBatchNorm)).toBe(RADLOCAL_GRADIENTS[2]);
    gradientOf(CASES[0]!, 1);
    normGradients(NORM_CASES[0]!, 1);
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 10; i++) {
      CASES.forEach((c) => gradientOf(c, i));
      NORM_CASES.forEach((c) => normGradients(c, i));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
