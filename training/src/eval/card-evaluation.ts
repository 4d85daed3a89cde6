/**
 * Converts an evaluation summary into the model card's `metrics.*` entry (core/model schema),
 * refusing undefined figures (NaN) that the card cannot hold.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { Evaluation } from '../../../core/model/model-card.ts';
import type { EvaluationSummary } from './summarize.ts';

export function toCardEvaluation(summary: EvaluationSummary, split: string): Evaluation {
  const perLabel: Evaluation['perLabel'] = {};
  for (const [label, s] of Object.entries(summary.perLabel)) {
    const values = [s.auc, s.aucCi95[0], s.aucCi95[1], s.sensitivity, s.specificity];
    if (values.some((v) => Number.isNaN(v))) {
      throw new RadLocalError(
        'DATASET_INVALID',
        `Expected positive and negative images of "${label}" in the ${split} to measure it, but it has ${s.positives} positive and ${s.negatives} negative.`,
      );
    }
    perLabel[label] = { auc: s.auc, aucCi95: s.aucCi95, sensitivity: s.sensitivity, specificity: s.specificity, positives: s.positives, negatives: s.negatives };
  }
  return {
    split,
    n: summary.n,
    macroAuc: summary.macroAuc,
    ...(summary.macroAucCi95.some((v) => Number.isNaN(v)) ? {} : { macroAucCi95: summary.macroAucCi95 }),
    ece: summary.ece,
    eceBeforeCalibration: summary.eceBeforeCalibration,
    oodRate: summary.oodRate,
    perLabel,
  };
}
