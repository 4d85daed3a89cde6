import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from '../metrics/metrics.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { T_MAX, T_MIN, applyTemperature, binaryNll, fitTemperature, sigmoid } from './temperature.ts';

/** Logits z ~ N(0, spread²) and labels y ~ Bernoulli(sigmoid(z)): perfectly calibrated at T = 1. */
function calibratedSample(n: number, seed: number, spread: number): { logits: number[]; labels: number[] } {
  const random = seededRandom(seed);
  const logits: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const z = spread * gaussian;
    logits.push(z);
    labels.push(random() < sigmoid(z) ? 1 : 0);
  }
  return { logits, labels };
}

describe('fitTemperature', () => {
  it('matches the closed form for a constant logit', () => {
    // Every logit is 2 and 3 of 4 labels are 1: the NLL is minimal where sigmoid(2 / T) = 0.75,
    // i.e. 2 / T = ln 3 → T = 2 / ln 3 ≈ 1.8205.
    expect(fitTemperature([2, 2, 2, 2], [1, 1, 1, 0])).toBeCloseTo(2 / Math.log(3), 6);
  });

  it('recovers the temperature the logits were inflated or shrunk by', () => {
    const { logits, labels } = calibratedSample(20_000, 5, 2);
    for (const t of [0.5, 1, 2.5]) {
      const fitted = fitTemperature(logits.map((z) => z * t), labels);
      expect(Math.abs(fitted / t - 1)).toBeLessThan(0.05);
    }
  });

  it('brings the calibration error of over-confident logits down to sampling noise', () => {
    const { logits, labels } = calibratedSample(20_000, 6, 2);
    const inflated = logits.map((z) => z * 3);
    const before = expectedCalibrationError(applyTemperature(inflated, 1), labels);
    const after = expectedCalibrationError(applyTemperature(inflated, fitTemperature(inflated, labels)), labels);
    // Logits 3× too large put far too much mass near 0 and 1; a calibrated sample of 20,000 has ECE ~ 0.01.
    expect(before).toBeGreaterThan(0.08);
    expect(after).toBeLessThan(0.02);
  });

  it('lands on a stationary point of the NLL', () => {
    const { logits, labels } = calibratedSample(2_000, 9, 3);
    const t = fitTemperature(logits, labels);
    const at = binaryNll(logits, labels, t);
    expect(binaryNll(logits, labels, t * 1.001)).toBeGreaterThan(at);
    expect(binaryNll(logits, labels, t / 1.001)).toBeGreaterThan(at);
  });

  it('clamps to the bounds for separable and for anti-correlated data', () => {
    // Perfectly separated: sharper is always better → smallest T.
    expect(fitTemperature([1, -1], [1, 0])).toBeCloseTo(T_MIN, 6);
    // Equal logits, balanced labels: the best probability is 0.5 → T as large as allowed.
    expect(fitTemperature([2, 2], [1, 0])).toBeCloseTo(T_MAX, 6);
    // All-zero logits do not depend on T: defined as 1.
    expect(fitTemperature([0, 0, 0], [1, 0, 1])).toBe(1);
  });

  it('rejects empty input', () => {
    expect(() => fitTemperature([], [])).toThrow('Expected at least one logit to fit a temperature, but got none.');
  });
});

describe('applyTemperature', () => {
  it('returns sigmoid(logit / T)', () => {
    // sigmoid(0) = 0.5; sigmoid(2 ln 3 / 2) = 3 / (3 + 1) = 0.75; sigmoid(−ln 3) = 0.25.
    const probs = applyTemperature([0, 2 * Math.log(3), -2 * Math.log(3)], 2);
    expect(probs[0]).toBe(0.5);
    expect(probs[1]).toBeCloseTo(0.75, 14);
    expect(probs[2]).toBeCloseTo(0.25, 14);
  });

  it('rejects a non-positive temperature', () => {
    expect(() => applyTemperature([1], 0)).toThrow('Expected a positive finite temperature, but got 0.');
  });
});
