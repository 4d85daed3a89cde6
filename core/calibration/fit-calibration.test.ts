import { describe, expect, it } from 'vitest';
import { fitCalibration } from './fit-calibration.ts';
import { applyTemperature } from './temperature.ts';

describe('fitCalibration', () => {
  it('fits temperature then the most specific threshold meeting the target sensitivity', () => {
    // Label a: every logit 2, 3 of 4 positive → T = 2 / ln 3, every calibrated p = 0.75 → threshold 0.75,
    // all four called positive: sensitivity 1, specificity 0.
    // Label b: positives have logits −1 and 2; ⌈0.9 · 2⌉ = 2 positives needed → threshold = p(−1);
    // of the negatives (−2, 1) only −2 is below → specificity 0.5.
    const logits = [
      [2, -2],
      [2, -1],
      [2, 1],
      [2, 2],
    ];
    const truth = [
      [1, 0],
      [1, 1],
      [1, 0],
      [0, 1],
    ];
    const fitted = fitCalibration(['a', 'b'], logits, truth);
    expect(fitted.temperatures.a).toBeCloseTo(2 / Math.log(3), 6);
    expect(fitted.thresholds.a!.threshold).toBeCloseTo(0.75, 6);
    expect(fitted.thresholds.a).toMatchObject({ targetSensitivity: 0.9, sensitivity: 1, specificity: 0 });
    const tb = fitted.temperatures.b!;
    expect(fitted.thresholds.b).toEqual({ threshold: applyTemperature([-1], tb)[0], targetSensitivity: 0.9, sensitivity: 1, specificity: 0.5 });
  });

  it('refuses a label with only one class in the validation data', () => {
    expect(() => fitCalibration(['a'], [[1], [2]], [[0], [0]])).toThrow(
      'Expected positive and negative validation images for label "a" to calibrate it, but all 2 are negative.',
    );
  });
});
