/**
 * A labelled folder scored by a model, as site cases (core/site): every image of the folder
 * (any layout `radlocal train` reads) through the one inference path, keeping per image only
 * its patient, truth, logits and OOD verdict — what validation and recalibration need.
 */
import { relative, sep } from 'node:path';
import type { LoadedModel } from '../../../core/model/load-model.ts';
import type { SiteCase } from '../../../core/site/recalibrate-site.ts';
import type { DatasetSummary } from '../data/dataset-types.ts';
import { openDataset } from '../data/open-dataset.ts';
import { postprocessExample, runExamples } from '../eval/predict-examples.ts';

export interface CollectSiteCasesOptions {
  batchSize?: number;
  skipBad?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SiteCases {
  cases: SiteCase[];
  /** Absolute paths, in case order. */
  files: string[];
  dataset: DatasetSummary;
  /** Unreadable images left out (only with skipBad). */
  skipped: number;
}

export async function collectSiteCases(loaded: LoadedModel, dataDir: string, options: CollectSiteCasesOptions = {}): Promise<SiteCases> {
  const dataset = openDataset(dataDir, {
    labels: loaded.card.labels,
    requirePositives: false,
    skipBad: options.skipBad ?? false,
    splitFractions: { train: 0, val: 0, test: 1 },
  });
  const { outputs, bad } = await runExamples(loaded, dataset.splits.test, {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    skipBad: options.skipBad ?? false,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const cases = outputs.map((output): SiteCase => ({
    key: relative(dataset.summary.root, output.ref.path).split(sep).join('/'),
    patientId: output.ref.patientId,
    logits: output.logits,
    truth: output.ref.labels,
    ...(output.ref.known ? { known: output.ref.known } : {}),
    oodFlagged: postprocessExample(loaded, output).ood.flagged,
  }));
  return { cases, files: outputs.map((o) => o.ref.path), dataset: dataset.summary, skipped: bad.length };
}
