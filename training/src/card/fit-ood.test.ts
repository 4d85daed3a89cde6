import { describe, expect, it } from 'vitest';
import { mahalanobisDistance } from '../../../core/model/ood.ts';
import { fitOodStatistics, ledoitWolf, percentile } from './fit-ood.ts';

describe('ledoitWolf', () => {
  it('is the sample covariance mixed with μ·I by the reported shrinkage', () => {
    const rows = [
      [1, 2],
      [3, 1],
      [2, 4],
      [6, 5],
    ];
    // mean (3, 3); centred: (−2,−1), (0,−2), (−1,1), (3,2); S = (1/4)·[[14, 7], [7, 10]]
    const { mean, covariance, shrinkage } = ledoitWolf(rows, 2);
    expect(Array.from(mean)).toEqual([3, 3]);
    expect(shrinkage).toBeGreaterThan(0);
    expect(shrinkage).toBeLessThanOrEqual(1);
    const s = [3.5, 1.75, 1.75, 2.5];
    const mu = (3.5 + 2.5) / 2;
    const expected = s.map((v, i) => (1 - shrinkage) * v + (i === 0 || i === 3 ? shrinkage * mu : 0));
    Array.from(covariance).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('shrinks fully when every sample is identical up to isotropic noise-free scale', () => {
    // S is already a multiple of the identity: ‖S − μI‖ = 0 → δ = 1.
    expect(ledoitWolf([[1, 0], [-1, 0], [0, 1], [0, -1]], 2).shrinkage).toBe(1);
  });
});

describe('percentile and threshold', () => {
  it('interpolates linearly', () => {
    expect(percentile([3, 1, 2, 4, 5], 50)).toBe(3);
    expect(percentile([0, 10], 99)).toBeCloseTo(9.9, 12);
  });

  it('sets the threshold at the 99th percentile of validation distances', () => {
    const train = Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const val = Array.from({ length: 20 }, (_, i) => [Math.sin(i + 0.5) * 1.1, Math.cos(i)]);
    const fit = fitOodStatistics(train, val, 2, 99);
    const distances = val.map((v) => mahalanobisDistance(v, fit.mean, fit.covarianceCholesky));
    expect(fit.distanceThreshold).toBeCloseTo(percentile(distances, 99), 12);
    expect(distances.filter((d) => d > fit.distanceThreshold)).toHaveLength(1);
  });
});
