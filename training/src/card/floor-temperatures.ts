import type { FittedCalibration } from '../../../core/calibration/fit-calibration.ts';
import { applyTemperature } from '../../../core/calibration/temperature.ts';
import { operatingPoint } from '../../../core/metrics/metrics.ts';
import type { OutputSet } from './output-set.ts';

/**
 * Lowest temperature a model trained by RadLocal keeps. When the validation split separates a
 * label perfectly, the NLL-optimal temperature runs to its lower bound and every score becomes
 * exactly 0 or 1 — overconfident on new images. Sharpening the trained logits by at most 2×
 * keeps scores graded; the threshold is then re-chosen on the floored scores.
 */
export const MIN_TEMPERATURE = 0.5;

/** Raises every temperature below `minTemperature` to it and re-chooses that label's threshold (in place). */
export function floorTemperatures(
  calibration: FittedCalibration,
  labels: readonly string[],
  outputs: Pick<OutputSet, 'logits' | 'truth'>,
  minTemperature = MIN_TEMPERATURE,
  targetSensitivity = 0.9,
): void {
  labels.forEach((label, j) => {
    if ((calibration.temperatures[label] as number) >= minTemperature) return;
    const z = Float64Array.from(outputs.logits, (row) => row[j] as number);
    const t = Float64Array.from(outputs.truth, (row) => row[j] as number);
    const point = operatingPoint(applyTemperature(z, minTemperature), t, targetSensitivity);
    calibration.temperatures[label] = minTemperature;
    calibration.thresholds[label] = { threshold: point.threshold, targetSensitivity, sensitivity: point.sensitivity, specificity: point.specificity };
  });
}
