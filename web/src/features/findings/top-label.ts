import type { Prediction } from '../../../../core/model/predict.ts';

/** The label with the highest calibrated score (first label on ties). */
export function topLabel(prediction: Pick<Prediction, 'labels' | 'scores'>): string | undefined {
  let best: string | undefined;
  for (const label of prediction.labels) {
    if (best === undefined || (prediction.scores[label] ?? 0) > (prediction.scores[best] ?? 0)) best = label;
  }
  return best;
}
