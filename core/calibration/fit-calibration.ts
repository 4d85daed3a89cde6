/**
 * Fits the per-label calibration and operating thresholds a model card carries, from
 * validation logits: temperature T per label (calibrated p = sigmoid(logit / T)), then the
 * highest threshold on p whose validation sensitivity meets the target.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import { operatingPoint } from '../metrics/metrics.ts';
import { applyTemperature, fitTemperature } from './temperature.ts';

export interface LabelThreshold {
  /** Calibrated probability at or above which the label is reported positive. */
  threshold: number;
  targetSensitivity: number;
  /** Measured on the validation data at `threshold`. */
  sensitivity: number;
  specificity: number;
}

export interface FittedCalibration {
  temperatures: Record<string, number>;
  thresholds: Record<string, LabelThreshold>;
}

/**
 * @param labels label names, the order of the logit and truth columns.
 * @param logits per validation image, one logit per label.
 * @param truth per validation image, 0/1 per label.
 * @throws RadLocalError DATASET_INVALID when a label has no positive or no negative validation image.
 */
export function fitCalibration(
  labels: readonly string[],
  logits: readonly ArrayLike<number>[],
  truth: readonly ArrayLike<number>[],
  targetSensitivity = 0.9,
): FittedCalibration {
  if (logits.length !== truth.length) {
    throw new RadLocalError('INTERNAL', `Expected one truth row per logit row, but got ${logits.length} logit rows and ${truth.length} truth rows.`);
  }
  const temperatures: Record<string, number> = {};
  const thresholds: Record<string, LabelThreshold> = {};
  labels.forEach((label, j) => {
    const z = Float64Array.from(logits, (row) => row[j] as number);
    const y = Float64Array.from(truth, (row) => row[j] as number);
    const positives = y.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === y.length) {
      throw new RadLocalError(
        'DATASET_INVALID',
        `Expected positive and negative validation images for label "${label}" to calibrate it, but all ${y.length} are ${positives === 0 ? 'negative' : 'positive'}.`,
      );
    }
    const t = fitTemperature(z, y);
    const point = operatingPoint(applyTemperature(z, t), y, targetSensitivity);
    temperatures[label] = t;
    thresholds[label] = { threshold: point.threshold, targetSensitivity, sensitivity: point.sensitivity, specificity: point.specificity };
  });
  return { temperatures, thresholds };
}
