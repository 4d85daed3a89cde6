/**
 * The card's metrics: model outputs of a split → records (calibrated scores, OOD verdict, truth)
 * → summary with bootstrap CIs → the card's `metrics.*` entry. One rule for every card:
 * BOOTSTRAP_RESAMPLES resamples, and a figure the split cannot measure (a label without a
 * positive or without a negative image) is null, never 0 and never a refusal.
 */
import { calibratedScores } from '../../../core/model/calibration.ts';
import type { CardDraft, Evaluation } from '../../../core/model/model-card.ts';
import { assessOod } from '../../../core/model/ood.ts';
import { summarizePredictions, type EvaluationSummary, type PredictionRecord } from '../eval/summarize.ts';
import type { OutputSet } from './output-set.ts';

/** What measuring reads of a card: labels, calibration, thresholds, OOD statistics. */
export type MeasuredCard = Pick<CardDraft, 'labels' | 'calibration' | 'thresholds' | 'ood'>;

/** Bootstrap resamples behind every confidence interval a card holds. */
export const BOOTSTRAP_RESAMPLES = 1000;

const measured = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The card's post-processing of raw outputs (calibration, OOD with the header when known) as summary records. */
export function cardRecords(card: MeasuredCard, outputs: OutputSet): PredictionRecord[] {
  return outputs.logits.map((logits, i) => {
    const scores = calibratedScores(card, logits);
    return {
      logits,
      scores: card.labels.map((label) => scores[label] as number),
      truth: outputs.truth[i] as ArrayLike<number>,
      oodFlagged: assessOod(outputs.oodFeatures[i] as Float32Array[], card.ood, outputs.headers?.[i]).flagged,
    };
  });
}

/** Summary of a split with the card's thresholds and the one bootstrap count. */
export function summarizeForCard(card: MeasuredCard, outputs: OutputSet, seed: number): EvaluationSummary {
  const thresholds = Object.fromEntries(card.labels.map((l) => [l, card.thresholds[l]?.threshold ?? 1]));
  return summarizePredictions(cardRecords(card, outputs), { labels: card.labels, thresholds, seed, bootstrapIterations: BOOTSTRAP_RESAMPLES }).summary;
}

export function toCardEvaluation(summary: EvaluationSummary, split: string): Evaluation {
  const perLabel: Evaluation['perLabel'] = {};
  for (const [label, s] of Object.entries(summary.perLabel)) {
    const ci = Number.isFinite(s.aucCi95[0]) && Number.isFinite(s.aucCi95[1]) ? s.aucCi95 : null;
    perLabel[label] = { auc: measured(s.auc), aucCi95: ci, sensitivity: measured(s.sensitivity), specificity: measured(s.specificity), positives: s.positives, negatives: s.negatives };
  }
  return {
    split,
    n: summary.n,
    macroAuc: measured(summary.macroAuc),
    ...(summary.macroAucCi95.every((v) => Number.isFinite(v)) ? { macroAucCi95: summary.macroAucCi95 } : {}),
    bootstrapResamples: BOOTSTRAP_RESAMPLES,
    ece: summary.ece,
    eceBeforeCalibration: summary.eceBeforeCalibration,
    oodRate: summary.oodRate,
    perLabel,
  };
}
