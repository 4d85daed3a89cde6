/**
 * Post-processing of logits: temperature calibration and thresholds. Pure functions over the
 * card, shared by `radlocal predict`, `radlocal evaluate` and the viewer worker.
 */
import type { ModelCard } from './model-card.ts';

/** The part of a card post-processing reads (a card draft has it too). */
export type CalibrationCard = Pick<ModelCard, 'labels' | 'calibration' | 'thresholds'>;

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Calibrated probability of label `label`: sigmoid(logit / T_label). */
export function calibratedScore(card: CalibrationCard, label: string, logit: number): number {
  const t = card.calibration.temperatures[label] ?? 1;
  return sigmoid(logit / t);
}

/**
 * @param logits one logit per label, in `card.labels` order.
 * @return per label: calibrated probability in [0, 1].
 */
export function calibratedScores(card: CalibrationCard, logits: ArrayLike<number>): Record<string, number> {
  const scores: Record<string, number> = {};
  card.labels.forEach((label, i) => {
    scores[label] = calibratedScore(card, label, logits[i] as number);
  });
  return scores;
}

/** Labels whose calibrated score is at or above the card's threshold, in `card.labels` order. */
export function positiveLabels(card: CalibrationCard, scores: Record<string, number>): string[] {
  return card.labels.filter((label) => (scores[label] ?? 0) >= (card.thresholds[label]?.threshold ?? 1));
}
