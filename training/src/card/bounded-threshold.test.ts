import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../../core/calibration/temperature.ts';
import { boundedThreshold, clopperPearsonLower } from './bounded-threshold.ts';

describe('clopperPearsonLower', () => {
  it('matches the closed form at k = n (α^(1/n)) and published values elsewhere', () => {
    for (const n of [1, 10, 28, 29, 65]) expect(clopperPearsonLower(n, n, 0.95)).toBeCloseTo(0.05 ** (1 / n), 9);
    // Beta(0.05; k, n − k + 1) quantiles (scipy.stats.beta.ppf): 9/10 → 0.605837, 59/65 → 0.825923, 63/65 → 0.906293.
    expect(clopperPearsonLower(9, 10, 0.95)).toBeCloseTo(0.605837, 5);
    expect(clopperPearsonLower(59, 65, 0.95)).toBeCloseTo(0.825923, 5);
    expect(clopperPearsonLower(63, 65, 0.95)).toBeCloseTo(0.906293, 5);
    expect(clopperPearsonLower(0, 10)).toBe(0);
  });
});

describe('boundedThreshold', () => {
  // 65 positives scored 1…65 (logit units), 200 negatives scored −100…−0.5 plus a few among the positives.
  const positives = Array.from({ length: 65 }, (_, i) => i + 1);
  const negatives = [...Array.from({ length: 197 }, (_, i) => -100 + i * 0.5), 2.5, 4.5, 10.5];
  const scaled = [...positives, ...negatives];
  const truth = [...positives.map(() => 1), ...negatives.map(() => 0)];

  it('keeps 63 of 65 positives (lower bound ≥ 0.90), not the 59 the point estimate would, and sits between two scores', () => {
    const t = boundedThreshold(scaled, truth, 0.9);
    // The 63rd highest positive scores 3; the next lower score is 2.5 (a negative): cut at 2.75.
    expect(t.threshold).toBeCloseTo(sigmoid(2.75), 12);
    expect(t.sensitivity).toBeCloseTo(63 / 65, 12);
    expect(t.specificity).toBeCloseTo(198 / 200, 12);
    expect(t.lowerBound).toEqual({ method: 'clopper-pearson', confidence: 0.95, sensitivity: expect.closeTo(0.906293, 5), positives: 65, met: true });
    expect(t.lowerBound!.sensitivity).toBeGreaterThanOrEqual(0.9);
  });

  it('with too few positives to bound the sensitivity, keeps them all and says the bound is not met', () => {
    const t = boundedThreshold([5, 4, 3, 2, 1, 0, -1], [1, 1, 1, 1, 1, 0, 0], 0.9);
    expect(t.sensitivity).toBe(1);
    expect(t.threshold).toBeCloseTo(sigmoid(0.5), 12);
    expect(t.lowerBound?.met).toBe(false);
    expect(t.lowerBound?.sensitivity).toBeCloseTo(0.05 ** (1 / 5), 9);
  });

  it('counts tied positives together', () => {
    const t = boundedThreshold([...Array.from({ length: 40 }, () => 1), -1], [...Array.from({ length: 40 }, () => 1), 0], 0.9);
    expect(t.sensitivity).toBe(1);
    expect(t.threshold).toBeCloseTo(sigmoid(0), 12);
  });
});
