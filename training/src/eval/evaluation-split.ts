/**
 * Which images `radlocal evaluate` scores by default: every image of the folder, unless the
 * folder is the model's own training data — then only the held-out test split `radlocal
 * train` made of it (same seed). The card's training-data fingerprint decides; a card without
 * one (written before card schema 2) is matched by its image count. The reason is printed.
 */
import type { ModelCard } from '../../../core/model/model-card.ts';
import { datasetFingerprint } from '../data/dataset-fingerprint.ts';
import { openDataset } from '../data/open-dataset.ts';
import type { EvaluationSplit } from './evaluate-model.ts';

export interface SplitDecision {
  split: EvaluationSplit;
  /** A sentence: what is scored and why. */
  reason: string;
}

export function chooseEvaluationSplit(card: ModelCard, dataDir: string, options: { requested?: 'auto' | EvaluationSplit; skipBad?: boolean } = {}): SplitDecision {
  const requested = options.requested ?? 'auto';
  if (requested === 'test') return { split: 'test', reason: 'the test split radlocal train made of this folder (--split test)' };
  if (requested === 'all') return { split: 'all', reason: 'every image of the folder (--split all)' };
  const dataset = openDataset(dataDir, { labels: card.labels, requirePositives: false, skipBad: options.skipBad ?? false, splitFractions: { train: 0, val: 0, test: 1 } });
  const images = dataset.splits.test.length;
  const known = card.trainingData.fingerprint;
  if (known !== undefined) {
    return datasetFingerprint(dataset) === known
      ? { split: 'test', reason: `this folder is the model's own training data (fingerprint ${known.slice(0, 12)}…): only its held-out test split is scored` }
      : { split: 'all', reason: `every image of the folder (${images}): it is not the model's training data (fingerprint differs)` };
  }
  const { train, val, test } = card.trainingData.counts;
  const trained = train + val + test;
  return images === trained
    ? { split: 'test', reason: `the card has no training-data fingerprint (older card) and this folder has exactly as many images as the model was trained on (${trained}): treated as its training data, only the held-out test split is scored (--split all to score everything)` }
    : { split: 'all', reason: `every image of the folder (${images}; the model was trained on ${trained}, so this is other data)` };
}
