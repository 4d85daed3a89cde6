/**
 * RadLocal's Sum and Mean gradients against tfjs's own (kept aside before they are replaced):
 * the same values bit for bit, on the cpu and the wasm backend, for batch-norm statistics,
 * global average pooling, keepDims, negative and single axes; no tensor leaked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs's gradients (tfjs-core's Node bundle alone has none).
import '@tensorflow/tfjs';
import { getGradient, Mean, registerGradient, Sum, type GradConfig } from '@tensorflow/tfjs-core';
import { RADLOCAL_GRADIENTS, registerRadLocalGradients } from './gradients.ts';
import { seededValues } from './kernels/kernel-test-utils.ts';
import { selectBackend } from './select-backend.ts';

const tfjs: GradConfig[] = [getGradient(Sum), getGradient(Mean)];
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

function withGradients(configs: readonly GradConfig[], run: () => Float32Array): Float32Array {
  configs.forEach((config) => registerGradient(config));
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

  it('are the ones selectBackend(wasm) leaves registered, and leak no tensor', async () => {
    withGradients(tfjs, () => new Float32Array());
    await selectBackend('wasm');
    expect(getGradient(Sum)).toBe(RADLOCAL_GRADIENTS[0]);
    expect(getGradient(Mean)).toBe(RADLOCAL_GRADIENTS[1]);
    gradientOf(CASES[0]!, 1);
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 10; i++) CASES.forEach((c) => gradientOf(c, i));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
