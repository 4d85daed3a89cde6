/**
 * The per-finding figures a site validation reports, from calibrated probabilities and 0/1
 * truth: AUC with a stratified bootstrap CI, sensitivity and specificity at a threshold with
 * Wilson CIs, ECE, Brier score, calibration slope and intercept, prevalence. One function for
 * the viewer and the CLI, so both print the same numbers. Undefined figures are NaN.
 */
import { brierScore, calibrationLine } from '../metrics/calibration-metrics.ts';
import { bootstrapAucCi, confusionMatrix, expectedCalibrationError, rocAuc, type ConfusionMatrix } from '../metrics/metrics.ts';
import { wilsonInterval } from '../metrics/wilson.ts';

export interface LabelSiteMetrics {
  n: number;
  positives: number;
  negatives: number;
  /** positives / n. */
  prevalence: number;
  auc: number;
  aucCi95: [number, number];
  /** The operating threshold on the calibrated probability these figures are measured at. */
  threshold: number;
  sensitivity: number;
  sensitivityCi95: [number, number];
  specificity: number;
  specificityCi95: [number, number];
  confusion: ConfusionMatrix;
  /** Expected calibration error, 15 equal-width bins. */
  ece: number;
  brier: number;
  calibrationSlope: number;
  calibrationIntercept: number;
}

export interface SiteMetricsOptions {
  /** Bootstrap resamples of the AUC interval (default 1000). */
  bootstrapIterations?: number;
  /** Seed of the bootstrap (default 0). */
  seed?: number;
  /** ECE bins (default 15). */
  bins?: number;
}

/**
 * @param probs calibrated probabilities of one finding. @param truth its 0/1 truth, same length.
 * @param threshold positive iff probability ≥ threshold.
 */
export function labelSiteMetrics(probs: ArrayLike<number>, truth: ArrayLike<number>, threshold: number, options: SiteMetricsOptions = {}): LabelSiteMetrics {
  const { bootstrapIterations = 1000, seed = 0, bins = 15 } = options;
  const confusion = confusionMatrix(probs, truth, threshold);
  const positives = confusion.tp + confusion.fn;
  const negatives = confusion.tn + confusion.fp;
  const n = positives + negatives;
  const line = calibrationLine(probs, truth);
  return {
    n,
    positives,
    negatives,
    prevalence: n === 0 ? Number.NaN : positives / n,
    auc: rocAuc(probs, truth),
    aucCi95: bootstrapAucCi(probs, truth, { iterations: bootstrapIterations, seed }),
    threshold,
    sensitivity: confusion.tp / positives,
    sensitivityCi95: wilsonInterval(confusion.tp, positives),
    specificity: confusion.tn / negatives,
    specificityCi95: wilsonInterval(confusion.tn, negatives),
    confusion,
    ece: n === 0 ? Number.NaN : expectedCalibrationError(probs, truth, bins),
    brier: brierScore(probs, truth),
    calibrationSlope: line.slope,
    calibrationIntercept: line.intercept,
  };
}
