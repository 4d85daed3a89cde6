import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Gradients are registered by tfjs-layers in training; a loss test registers them itself.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { positiveWeights, weightedBceWithLogits } from './loss.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('weightedBceWithLogits', () => {
  it('matches the hand-computed weighted cross-entropy', () => {
    // z = [[0, 2], [−1, 3]], y = [[1, 0], [0, 1]], w = [4, 1]
    // terms: 4·log(2), log(1+e²), log(1+e^−1), log(1+e^−3)
    const expected = (4 * Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-3))) / 4;
    const loss = weightedBceWithLogits(tf.tensor2d([[0, 2], [-1, 3]]), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([4, 1]));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('masks unknown (NaN) targets: the mean over known entries only, and exactly zero gradient for the masked logits', () => {
    const z = tf.tensor2d([[0.5, 2], [-1, 3]]);
    const w = tf.tensor1d([4, 1]);
    const masked = tf.tensor2d([[1, Number.NaN], [Number.NaN, 1]]);
    // Known entries: (0,0) positive with weight 4, (1,1) positive with weight 1.
    const expected = (4 * Math.log(1 + Math.exp(-0.5)) + Math.log(1 + Math.exp(-3))) / 2;
    expect(weightedBceWithLogits(z, masked, w).dataSync()[0]).toBeCloseTo(expected, 5);

    const grad = Array.from(tf.grad((logits: tf.Tensor) => weightedBceWithLogits(logits as tf.Tensor2D, masked, w))(z).dataSync());
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(grad[1]).toBe(0);
    expect(grad[2]).toBe(0);
    // Known entries: d/dz of w·softplus(−z) / 2 = −w·σ(−z) / 2.
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(grad[0]).toBeCloseTo((-4 * sigmoid(-0.5)) / 2, 5);
    expect(grad[3]).toBeCloseTo(-sigmoid(-3) / 2, 5);

    // The masked entries count for nothing: a masked negative would have changed the loss.
    const asNegatives = tf.tensor2d([[1, 0], [0, 1]]);
    expect(weightedBceWithLogits(z, asNegatives, w).dataSync()[0]).not.toBeCloseTo(expected, 3);
  });

  it('is 0 (not NaN) when nothing is known', () => {
    const loss = weightedBceWithLogits(tf.tensor2d([[1, 2]]), tf.tensor2d([[Number.NaN, Number.NaN]]), tf.tensor1d([1, 1]));
    expect(loss.dataSync()[0]).toBe(0);
  });
});

describe('positiveWeights', () => {
  it('is sqrt(negatives / positives), at least 1, 1 for a label without positives', () => {
    const rows = [
      [1, 0, 1],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ].map((r) => Uint8Array.from(r));
    expect(Array.from(positiveWeights(rows, 3))).toEqual([2, 1, 1]);
  });

  it('leaves unknown labels out of the counts', () => {
    const rows = [[1], [0], [0], [0], [0]].map((r) => Uint8Array.from(r));
    const known = [undefined, Uint8Array.of(0), Uint8Array.of(0), Uint8Array.of(0), undefined];
    expect(Array.from(positiveWeights(rows, 1, 10, known))).toEqual([1]);
    expect(Array.from(positiveWeights(rows, 1))).toEqual([2]);
  });
});
