import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { positiveWeights, weightedBceWithLogits } from './loss.ts';

describe('weightedBceWithLogits', () => {
  it('matches the hand-computed weighted cross-entropy', async () => {
    await tf.setBackend('cpu');
    // z = [[0, 2], [−1, 3]], y = [[1, 0], [0, 1]], w = [4, 1]
    // terms: 4·log(2), log(1+e²), log(1+e^−1), log(1+e^−3)
    const expected = (4 * Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-3))) / 4;
    const loss = weightedBceWithLogits(tf.tensor2d([[0, 2], [-1, 3]]), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([4, 1]));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
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
});
