/**
 * Operating thresholds that hold beyond the validation split. Choosing the highest threshold
 * whose validation sensitivity just reaches the target (0.90) gives a threshold that meets
 * the target on new images only about half the time: the validation sensitivity is an
 * estimate from a few dozen positives, and the threshold sits exactly on a positive's score.
 * Here the threshold is the highest one whose validation sensitivity has a one-sided
 * Clopper–Pearson lower confidence bound of at least the target (e.g. 63 of 65 positives,
 * not 59), placed halfway (in logit space) between that positive's score and the next lower
 * validation score, so the validation counts are unchanged and no positive sits on the edge.
 */
import { sigmoid } from '../../../core/calibration/temperature.ts';
import type { CardThreshold } from '../../../core/model/model-card.ts';

/** Confidence of the one-sided lower bound on the validation sensitivity. */
export const THRESHOLD_CONFIDENCE = 0.95;

function logChoose(n: number, k: number, logFactorial: Float64Array): number {
  return (logFactorial[n] as number) - (logFactorial[k] as number) - (logFactorial[n - k] as number);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
function upperTail(k: number, n: number, p: number, logFactorial: Float64Array): number {
  if (k <= 0) return 1;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let sum = 0;
  for (let i = k; i <= n; i++) sum += Math.exp(logChoose(n, i, logFactorial) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * One-sided Clopper–Pearson lower confidence bound of a proportion: the p at which k or more
 * successes of n have probability 1 − confidence (0 when k = 0).
 */
export function clopperPearsonLower(k: number, n: number, confidence = THRESHOLD_CONFIDENCE): number {
  if (!(n > 0) || k <= 0) return 0;
  const logFactorial = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) logFactorial[i] = (logFactorial[i - 1] as number) + Math.log(i);
  const alpha = 1 - confidence;
  // P(X ≥ k) rises with p: bisect for P(X ≥ k | p) = α on [0, k/n].
  let lo = 0;
  let hi = k / n;
  for (let iteration = 0; iteration < 60; iteration++) {
    const mid = (lo + hi) / 2;
    if (upperTail(k, n, mid, logFactorial) < alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The card's threshold for one label from calibrated logits (logit / temperature) of the
 * validation images: see the top of this file.
 * @param scaled logit / T per validation image. @param truth 0/1 per image.
 */
export function boundedThreshold(scaled: ArrayLike<number>, truth: ArrayLike<number>, targetSensitivity: number, confidence = THRESHOLD_CONFIDENCE): CardThreshold {
  const positives: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < scaled.length; i++) {
    all.push(scaled[i] as number);
    if (truth[i] === 1) positives.push(scaled[i] as number);
  }
  positives.sort((a, b) => b - a);
  all.sort((a, b) => b - a);
  const P = positives.length;
  // Smallest number m of positives at or above the threshold whose lower bound meets the target.
  let m = P;
  let met = false;
  for (let k = 1; k <= P; k++) {
    // Ties: a threshold at positives[k-1] also keeps the positives tied with it.
    if (k < P && positives[k] === positives[k - 1]) continue;
    if (clopperPearsonLower(k, P, confidence) >= targetSensitivity) {
      m = k;
      met = true;
      break;
    }
  }
  const edge = positives[m - 1] ?? Infinity;
  const below = all.find((v) => v < edge);
  const cut = below === undefined ? edge : (edge + below) / 2;
  let tp = 0;
  let fp = 0;
  let negatives = 0;
  for (let i = 0; i < scaled.length; i++) {
    const positive = (scaled[i] as number) >= cut;
    if (truth[i] === 1) tp += positive ? 1 : 0;
    else {
      negatives++;
      fp += positive ? 1 : 0;
    }
  }
  return {
    threshold: sigmoid(cut),
    targetSensitivity,
    sensitivity: P === 0 ? 0 : tp / P,
    specificity: negatives === 0 ? 1 : (negatives - fp) / negatives,
    lowerBound: { method: 'clopper-pearson', confidence, sensitivity: clopperPearsonLower(tp, P, confidence), positives: P, met },
  };
}
