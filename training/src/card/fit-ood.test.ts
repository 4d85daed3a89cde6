import { describe, expect, it } from 'vitest';
import { sortedQuantile } from '../../../core/metrics/metrics.ts';
import { cholesky, l2Normalised, mahalanobisDistance, oodScore } from '../../../core/model/ood.ts';
import { OodStatsSchema } from '../../../core/model/ood-schema.ts';
import { fitOodSection, fitOodStatistics, ledoitWolf } from './fit-ood.ts';

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

describe('fitOodStatistics', () => {
  // Two layers per image: a 3-value and a 2-value summary, deterministic but varied.
  const image = (i: number, shift = 0): Float32Array[] => [
    Float32Array.from([1 + Math.sin(i) * 0.2 + shift, 2 + Math.cos(3 * i) * 0.3, 1.5 + Math.sin(5 * i) * 0.1]),
    Float32Array.from([2 + Math.cos(i) * 0.2, 1 + Math.sin(7 * i) * 0.2 + shift]),
  ];
  const fit = Array.from({ length: 60 }, (_, i) => image(i));
  const held = Array.from({ length: 40 }, (_, i) => image(i + 0.37));
  const layers = [
    { layer: 'a', summary: 'channel-moments' as const, level: 'texture' as const },
    { layer: 'b', summary: 'top-bottom-means' as const, level: 'layout' as const },
  ];

  it('fits each layer on the normalised fit vectors and z-scores with the held-out images', () => {
    const stats = fitOodStatistics(layers, fit, held, 0.9);
    const layer0 = stats.layers[0]!;
    const { mean, covariance } = ledoitWolf(fit.map((x) => l2Normalised(x[0]!)), 3);
    expect(layer0.mean).toEqual(Array.from(mean, (v) => Number(v.toPrecision(7))));
    // The packed factor reproduces the full factor's distances (to the 7-digit rounding).
    const full = cholesky(covariance, 3);
    const x = l2Normalised(held[0]![0]!);
    const dPacked = oodScore([held[0]![0]!], { layers: [{ ...layer0, reference: { mean: 0, std: 1 } }] }).score;
    expect(dPacked).toBeCloseTo(mahalanobisDistance(x, mean, full), 3);
    // z-scoring: held-out distances of each layer have mean 0 and standard deviation 1.
    const z = held.map((h) => oodScore(h, stats).z);
    for (const k of [0, 1]) {
      const values = z.map((v) => v[k]!);
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
      expect(m).toBeCloseTo(0, 4);
      expect(sd).toBeCloseTo(1, 4);
    }
  });

  it('sets the threshold at the acceptance quantile of the held-out scores, and flags what lies beyond', () => {
    const stats = fitOodStatistics(layers, fit, held, 0.9);
    const scores = held.map((h) => oodScore(h, stats).score);
    expect(stats.threshold).toBeCloseTo(sortedQuantile([...scores].sort((a, b) => a - b), 0.9), 12);
    expect(scores.filter((s) => s > stats.threshold)).toHaveLength(4);
    expect(stats.acceptance).toBe(0.9);
    // Images shifted away from the training ones score above the threshold.
    const shifted = Array.from({ length: 10 }, (_, i) => image(i, 1.5));
    expect(shifted.every((s) => oodScore(s, stats).score > stats.threshold)).toBe(true);
  });

  it('writes a section the card schema accepts, and refuses too few images', () => {
    const section = fitOodSection({ layers, fit, fittedOn: 'training split (60 images)', threshold: held, thresholdedOn: 'validation split (40 images)', headers: [] });
    expect(OodStatsSchema.parse(section)).toEqual(section);
    expect(section.layers.map((l) => [l.layer, l.size, l.choleskyPacked.length])).toEqual([
      ['a', 3, 6],
      ['b', 2, 3],
    ]);
    expect(() => fitOodSection({ layers, fit: fit.slice(0, 1), fittedOn: 'x', threshold: held, thresholdedOn: 'y', headers: [] })).toThrow(/at least 2 images/);
  });
});
