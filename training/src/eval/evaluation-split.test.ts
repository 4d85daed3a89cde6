import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../core/model/model-card.ts';
import { datasetFingerprint } from '../data/dataset-fingerprint.ts';
import { openDataset } from '../data/open-dataset.ts';
import { DEFAULT_PREVALENCE } from '../synth/findings.ts';
import { synthDataset } from '../synth/synth-dataset.ts';
import { chooseEvaluationSplit } from './evaluation-split.ts';

const root = mkdtempSync(join(tmpdir(), 'radlocal-eval-split-'));
const trained = join(root, 'trained');
const other = join(root, 'other');
const copy = join(root, 'copy');
const LABELS = ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'];

/** The card fields chooseEvaluationSplit reads. */
function card(trainingData: { fingerprint?: string; counts: { train: number; val: number; test: number } }): ModelCard {
  return { labels: LABELS, trainingData } as unknown as ModelCard;
}

beforeAll(async () => {
  const common = { count: 14, size: 64, prevalence: DEFAULT_PREVALENCE, png: false, preview: undefined };
  await synthDataset({ ...common, out: trained, seed: 1 });
  await synthDataset({ ...common, out: other, seed: 2 });
  cpSync(trained, copy, { recursive: true });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('chooseEvaluationSplit', () => {
  it('scores only the test split of the model’s own training data, wherever it was copied, and every image of other data', () => {
    const fingerprint = datasetFingerprint(openDataset(trained, { labels: LABELS, requirePositives: false }));
    const withPrint = card({ fingerprint, counts: { train: 10, val: 2, test: 2 } });
    expect(chooseEvaluationSplit(withPrint, trained).split).toBe('test');
    expect(chooseEvaluationSplit(withPrint, copy)).toMatchObject({ split: 'test', reason: expect.stringMatching(/own training data/) });
    // Same file names and patient IDs (another seed), other contents: not the training data.
    expect(chooseEvaluationSplit(withPrint, other)).toMatchObject({ split: 'all', reason: expect.stringMatching(/^every image of the folder \(14\)/) });
  });

  it('matches an older card without a fingerprint by its image count, and obeys an explicit --split', () => {
    expect(chooseEvaluationSplit(card({ counts: { train: 10, val: 2, test: 2 } }), other).split).toBe('test');
    expect(chooseEvaluationSplit(card({ counts: { train: 100, val: 20, test: 20 } }), other).split).toBe('all');
    const withPrint = card({ fingerprint: 'f'.repeat(64), counts: { train: 10, val: 2, test: 2 } });
    expect(chooseEvaluationSplit(withPrint, trained, { requested: 'test' }).split).toBe('test');
    expect(chooseEvaluationSplit(withPrint, trained, { requested: 'all' }).split).toBe('all');
  });
});
