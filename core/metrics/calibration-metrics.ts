/**
 * How well probabilities match outcomes, beyond the ECE (metrics.ts): the Brier score and
 * the calibration slope and intercept (Cox 1958; Van Calster et al. 2019, "calibration:
 * the Achilles heel of predictive analytics"). A slope below 1 means the scores are too
 * extreme (overconfident), above 1 too timid; a positive intercept means the model
 * under-predicts the risk on these data (e.g. a higher prevalence), negative over-predicts.
 */
import { fitPlatt } from '../calibration/platt.ts';
import { sigmoid } from '../calibration/temperature.ts';
import { checkBinaryInputs } from './binary-inputs.ts';

/** Mean squared difference between probability and 0/1 outcome; NaN for empty input. */
export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinaryInputs(probs, labels, 'probabilities');
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += ((probs[i] as number) - (labels[i] as number)) ** 2;
  return sum / probs.length;
}

/** logit(p) with p clamped to [1e-12, 1 − 1e-12] so that 0 and 1 stay finite. */
function clampedLogit(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

export interface CalibrationLine {
  /** β of y ~ α + β·logit(p) (1 when calibrated). */
  slope: number;
  /** α of y ~ α + 1·logit(p), "calibration in the large" (0 when calibrated). */
  intercept: number;
}

/**
 * Calibration slope and intercept by logistic recalibration of the outcomes on logit(p),
 * fitted like Platt scaling (core/calibration/platt.ts, smoothed targets, so separated data
 * give finite values). NaN for both when a class is empty.
 */
export function calibrationLine(probs: ArrayLike<number>, labels: ArrayLike<number>): CalibrationLine {
  const { positives, negatives } = checkBinaryInputs(probs, labels, 'probabilities');
  if (positives === 0 || negatives === 0) return { slope: Number.NaN, intercept: Number.NaN };
  const z = Float64Array.from({ length: probs.length }, (_, i) => clampedLogit(probs[i] as number));
  const slope = fitPlatt(z, labels).a;
  // Intercept with the slope fixed at 1: Newton on α of mean NLL(σ(z + α)), same smoothed targets.
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  let alpha = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gradient = 0;
    let curvature = 0;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid((z[i] as number) + alpha);
      gradient += p - (labels[i] === 1 ? hi : lo);
      curvature += p * (1 - p);
    }
    if (!(curvature > 0)) break;
    const step = Math.max(-5, Math.min(5, gradient / curvature));
    alpha -= step;
    if (Math.abs(step) < 1e-12) break;
  }
  return { slope, intercept: alpha };
}
