/**
 * Binary classification metrics for one label at a time: ROC AUC (Mann–Whitney with ties),
 * ROC curve, stratified bootstrap confidence interval, operating point for a target
 * sensitivity, confusion matrix, expected calibration error and reliability diagram.
 *
 * Conventions used throughout:
 * - `labels[i]` is exactly 0 or 1; `scores[i]` is any finite number (probability or logit).
 * - A case is called positive at threshold t when `score >= t`.
 * - Quantities that are undefined because a class is empty (AUC without positives or
 *   without negatives, sensitivity without positives, …) are NaN, never a guess. NaN
 *   serialises to `null` in JSON.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import { checkBinaryInputs } from './binary-inputs.ts';
import { seededRandom } from '../random/seeded-random.ts';

/** Indices of `scores` sorted by ascending score (stable). */
function ascendingOrder(scores: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
}

/**
 * AUC of weighted cases, walking the cases in ascending score order; tied scores count 0.5.
 * AUC = Σ_pos w_p · (W_neg below p + ½ W_neg tied with p) / (W_pos · W_neg).
 */
function weightedAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, order: Uint32Array, weights?: ArrayLike<number>): number {
  let negBelow = 0;
  let numerator = 0;
  let totalPos = 0;
  let i = 0;
  while (i < order.length) {
    const value = scores[order[i] as number] as number;
    let groupPos = 0;
    let groupNeg = 0;
    for (; i < order.length && scores[order[i] as number] === value; i++) {
      const index = order[i] as number;
      const w = weights === undefined ? 1 : (weights[index] as number);
      if (labels[index] === 1) groupPos += w;
      else groupNeg += w;
    }
    numerator += groupPos * (negBelow + 0.5 * groupNeg);
    negBelow += groupNeg;
    totalPos += groupPos;
  }
  const totalNeg = negBelow;
  if (totalPos === 0 || totalNeg === 0) return Number.NaN;
  return numerator / (totalPos * totalNeg);
}

/**
 * Area under the ROC curve = P(score of a random positive > score of a random negative)
 * + ½ P(tie) (the Mann–Whitney U statistic divided by n₊·n₋).
 * @returns A number in [0, 1]; NaN when there are no positives or no negatives.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinaryInputs(scores, labels, 'scores');
  return weightedAuc(scores, labels, ascendingOrder(scores));
}

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 (threshold +∞) up to 1. */
  fpr: number[];
  /** True-positive rate (sensitivity) at each threshold. */
  tpr: number[];
  /** Decreasing thresholds: +Infinity, then every distinct score. Positive iff score >= threshold. */
  thresholds: number[];
}

/**
 * ROC curve: one point per distinct score (ties move diagonally), starting at (0, 0) for the
 * threshold +Infinity and ending at (1, 1) for the lowest score. Rates are NaN for an empty class.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const { positives, negatives } = checkBinaryInputs(scores, labels, 'scores');
  const order = ascendingOrder(scores);
  const fpr = [0 / negatives];
  const tpr = [0 / positives];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  let i = order.length - 1;
  while (i >= 0) {
    const value = scores[order[i] as number] as number;
    for (; i >= 0 && scores[order[i] as number] === value; i--) {
      if (labels[order[i] as number] === 1) tp++;
      else fp++;
    }
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
    thresholds.push(value);
  }
  return { fpr, tpr, thresholds };
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  iterations?: number;
  /** Seed of the resampling generator (default 0): same inputs and seed → same interval. */
  seed?: number;
  /** Two-sided coverage (default 0.95). */
  confidence?: number;
}

/** Type-7 (linear interpolation) quantile of an ascending-sorted array, q in [0, 1]. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

/**
 * Percentile bootstrap confidence interval of the ROC AUC with stratified resampling:
 * each resample draws n₊ positives from the positives and n₋ negatives from the negatives
 * with replacement, so every resample has both classes and the prevalence of the data.
 * @returns [lo, hi] (percentiles (1−c)/2 and (1+c)/2 of the resampled AUCs); [NaN, NaN]
 *   when a class is empty.
 */
export function bootstrapAucCi(scores: ArrayLike<number>, labels: ArrayLike<number>, options: BootstrapOptions = {}): [number, number] {
  const { iterations = 1000, seed = 0, confidence = 0.95 } = options;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RadLocalError('INTERNAL', `Expected a positive integer number of bootstrap iterations, but got ${iterations}.`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RadLocalError('INTERNAL', `Expected a confidence level strictly between 0 and 1, but got ${confidence}.`);
  }
  const { positives, negatives } = checkBinaryInputs(scores, labels, 'scores');
  if (positives === 0 || negatives === 0) return [Number.NaN, Number.NaN];
  const positiveIndices: number[] = [];
  const negativeIndices: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? positiveIndices : negativeIndices).push(i);
  const order = ascendingOrder(scores);
  const random = seededRandom(seed);
  const weights = new Float64Array(labels.length);
  const aucs = new Float64Array(iterations);
  for (let k = 0; k < iterations; k++) {
    weights.fill(0);
    for (let j = 0; j < positives; j++) weights[positiveIndices[Math.floor(random() * positives)] as number]! += 1;
    for (let j = 0; j < negatives; j++) weights[negativeIndices[Math.floor(random() * negatives)] as number]! += 1;
    aucs[k] = weightedAuc(scores, labels, order, weights);
  }
  aucs.sort();
  const alpha = (1 - confidence) / 2;
  return [sortedQuantile(aucs, alpha), sortedQuantile(aucs, 1 - alpha)];
}

/**
 * Percentile bootstrap confidence interval of the macro-AUC (mean AUC over labels) for
 * multi-label data: each resample draws n images with replacement (the same images for every
 * label, keeping the labels' correlation) and averages the AUCs defined in it (a label whose
 * resample lacks a class is left out of that resample's mean).
 * @param scores per label, the scores of the n images. @param labels per label, their 0/1 truth.
 * @returns [lo, hi]; [NaN, NaN] when no label has both classes.
 */
export function bootstrapMacroAucCi(
  scores: readonly ArrayLike<number>[],
  labels: readonly ArrayLike<number>[],
  options: BootstrapOptions = {},
): [number, number] {
  const { iterations = 1000, seed = 0, confidence = 0.95 } = options;
  if (scores.length !== labels.length || scores.length === 0) {
    throw new RadLocalError('INTERNAL', `Expected scores and labels for the same labels (at least one), but got ${scores.length} and ${labels.length}.`);
  }
  const n = scores[0]!.length;
  const orders = scores.map((s, j) => {
    checkBinaryInputs(s, labels[j]!, 'scores');
    if (s.length !== n) throw new RadLocalError('INTERNAL', `Expected ${n} scores for every label, but label ${j} has ${s.length}.`);
    return ascendingOrder(s);
  });
  if (scores.every((s, j) => Number.isNaN(weightedAuc(s, labels[j]!, orders[j]!)))) return [Number.NaN, Number.NaN];
  const random = seededRandom(seed);
  const weights = new Float64Array(n);
  const means: number[] = [];
  for (let k = 0; k < iterations; k++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[Math.floor(random() * n)]! += 1;
    let sum = 0;
    let defined = 0;
    scores.forEach((s, j) => {
      const auc = weightedAuc(s, labels[j]!, orders[j]!, weights);
      if (!Number.isNaN(auc)) {
        sum += auc;
        defined++;
      }
    });
    if (defined > 0) means.push(sum / defined);
  }
  means.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return [sortedQuantile(means, alpha), sortedQuantile(means, 1 - alpha)];
}

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts at `threshold`: predicted positive iff score >= threshold. */
export function confusionMatrix(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ConfusionMatrix {
  checkBinaryInputs(scores, labels, 'scores');
  if (Number.isNaN(threshold)) throw new RadLocalError('INTERNAL', 'Expected a threshold that is a number, but got NaN.');
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    if (labels[i] === 1) {
      if (predicted) counts.tp++;
      else counts.fn++;
    } else if (predicted) counts.fp++;
    else counts.tn++;
  }
  return counts;
}

export interface OperatingPoint {
  /** Positive iff score >= threshold. NaN when there are no positives. */
  threshold: number;
  /** tp / (tp + fn) at the threshold on these data. */
  sensitivity: number;
  /** tn / (tn + fp) at the threshold on these data (NaN without negatives). */
  specificity: number;
}

/**
 * The highest threshold whose sensitivity is at least `targetSensitivity` (default 0.9), i.e.
 * the most specific operating point that still meets the target. Because sensitivity only
 * falls as the threshold rises, this is the k-th highest positive score with
 * k = ⌈target · n₊⌉.
 */
export function operatingPoint(scores: ArrayLike<number>, labels: ArrayLike<number>, targetSensitivity = 0.9): OperatingPoint {
  if (!(targetSensitivity > 0 && targetSensitivity <= 1)) {
    throw new RadLocalError('INTERNAL', `Expected a target sensitivity in (0, 1], but got ${targetSensitivity}.`);
  }
  const { positives, negatives } = checkBinaryInputs(scores, labels, 'scores');
  if (positives === 0) return { threshold: Number.NaN, sensitivity: Number.NaN, specificity: Number.NaN };
  const positiveScores: number[] = [];
  for (let i = 0; i < scores.length; i++) if (labels[i] === 1) positiveScores.push(scores[i] as number);
  positiveScores.sort((a, b) => b - a);
  // The small tolerance keeps 0.3 · 10 = 3.0000000000000004 from asking for 4 positives.
  const needed = Math.max(1, Math.ceil(targetSensitivity * positives - 1e-9));
  const threshold = positiveScores[needed - 1] as number;
  const { tp, fn, tn, fp } = confusionMatrix(scores, labels, threshold);
  return { threshold, sensitivity: tp / (tp + fn), specificity: negatives === 0 ? Number.NaN : tn / (tn + fp) };
}

export interface ReliabilityBin {
  /** Bin edges: [lower, upper) except the last bin, which includes 1. */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of the cases in the bin (NaN when empty). */
  meanConfidence: number;
  /** Observed fraction of positives among the cases in the bin (NaN when empty). */
  accuracy: number;
}

function checkProbabilities(probs: ArrayLike<number>, labels: ArrayLike<number>, bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RadLocalError('INTERNAL', `Expected a positive integer number of bins, but got ${bins}.`);
  }
  checkBinaryInputs(probs, labels, 'probabilities');
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p < 0 || p > 1) throw new RadLocalError('INTERNAL', `Expected probabilities in [0, 1], but value ${i} is ${p}.`);
  }
}

/**
 * Reliability diagram of a binary probability: `bins` equal-width bins over [0, 1]; a
 * probability p falls in bin min(⌊p · bins⌋, bins − 1). For each bin, the count, the mean
 * predicted probability and the observed positive rate. A perfectly calibrated model has
 * accuracy = meanConfidence in every bin.
 */
export function reliabilityDiagram(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): ReliabilityBin[] {
  checkProbabilities(probs, labels, bins);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const b = Math.min(Math.floor(p * bins), bins - 1);
    count[b]! += 1;
    sumP[b]! += p;
    sumY[b]! += labels[i] as number;
  }
  return Array.from({ length: bins }, (_, b) => {
    const n = count[b] as number;
    return {
      lower: b / bins,
      upper: (b + 1) / bins,
      count: n,
      meanConfidence: n === 0 ? Number.NaN : (sumP[b] as number) / n,
      accuracy: n === 0 ? Number.NaN : (sumY[b] as number) / n,
    };
  });
}

/**
 * Expected calibration error: Σ_b (n_b / N) · |accuracy_b − meanConfidence_b| over the
 * non-empty bins of `reliabilityDiagram` (default 15 equal-width bins).
 * @returns A number in [0, 1]; NaN for empty input.
 */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): number {
  const diagram = reliabilityDiagram(probs, labels, bins);
  if (probs.length === 0) return Number.NaN;
  let ece = 0;
  for (const bin of diagram) {
    if (bin.count > 0) ece += (bin.count / probs.length) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  return ece;
}
