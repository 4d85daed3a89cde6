import { describe, expect, it } from 'vitest';
import { fitCalibration } from '../../../core/calibration/fit-calibration.ts';
import { floorTemperatures, MIN_TEMPERATURE } from './floor-temperatures.ts';

describe('floorTemperatures', () => {
  it('keeps scores graded when validation separates a label perfectly, and leaves other labels alone', () => {
    // label a: perfectly separated logits; label b: overlapping.
    const logits = [
      [-3, -1],
      [-2, 0.5],
      [-1, 1.5],
      [1, 1],
      [2, -0.2],
      [3, 2],
    ];
    const truth = [
      [0, 0],
      [0, 1],
      [0, 0],
      [1, 1],
      [1, 0],
      [1, 1],
    ];
    const calibration = fitCalibration(['a', 'b'], logits, truth, 0.9);
    expect(calibration.temperatures.a).toBeLessThan(MIN_TEMPERATURE);
    const before = calibration.temperatures.b;
    floorTemperatures(calibration, ['a', 'b'], { logits: logits.map((r) => Float32Array.from(r)), truth });
    expect(calibration.temperatures.a).toBe(MIN_TEMPERATURE);
    // highest threshold keeping all positives: sigmoid(1 / 0.5)
    expect(calibration.thresholds.a!.threshold).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(calibration.thresholds.a!.sensitivity).toBe(1);
    expect(calibration.thresholds.a!.specificity).toBe(1);
    expect(calibration.temperatures.b).toBe(before);
  });
});
