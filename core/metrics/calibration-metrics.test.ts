import { describe, expect, it } from 'vitest';
import { sigmoid } from '../calibration/temperature.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { brierScore, calibrationLine } from './calibration-metrics.ts';

/** n cases whose outcome is drawn with probability sigmoid(z); returns the probability the model claims. */
function cases(n: number, seed: number, claimed: (z: number) => number): { probs: number[]; labels: number[] } {
  const random = seededRandom(seed);
  const probs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = 4 * (random() - 0.5);
    labels.push(random() < sigmoid(z) ? 1 : 0);
    probs.push(claimed(z));
  }
  return { probs, labels };
}

describe('brierScore', () => {
  it('is the mean squared error', () => {
    expect(brierScore([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo((0.01 + 0.04 + 0.25) / 3, 15);
    expect(brierScore([], [])).toBeNaN();
  });
});

describe('calibrationLine', () => {
  it('is slope ≈ 1, intercept ≈ 0 for calibrated probabilities', () => {
    const { probs, labels } = cases(20000, 3, (z) => sigmoid(z));
    const line = calibrationLine(probs, labels);
    expect(line.slope).toBeGreaterThan(0.93);
    expect(line.slope).toBeLessThan(1.07);
    expect(Math.abs(line.intercept)).toBeLessThan(0.05);
  });

  it('finds overconfidence (slope ≈ 0.5) and under-prediction (intercept ≈ +1)', () => {
    const over = cases(20000, 4, (z) => sigmoid(2 * z));
    expect(calibrationLine(over.probs, over.labels).slope).toBeCloseTo(0.5, 1);
    const under = cases(20000, 5, (z) => sigmoid(z - 1));
    expect(calibrationLine(under.probs, under.labels).intercept).toBeCloseTo(1, 1);
  });

  it('stays finite on perfectly separated data and is NaN without a class', () => {
    const line = calibrationLine([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(Number.isFinite(line.slope) && Number.isFinite(line.intercept)).toBe(true);
    expect(calibrationLine([0.1, 0.2], [0, 0]).slope).toBeNaN();
  });
});
