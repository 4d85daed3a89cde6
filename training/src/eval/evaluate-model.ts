/**
 * `radlocal evaluate` without the command line: loads a model folder, reads a dataset split,
 * predicts every image through core/model, and summarises (metrics, curves) — plus the
 * example images with activation maps for the HTML report.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { LoadedModel } from '../../../core/model/load-model.ts';
import { predictBatch } from '../../../core/model/predict.ts';
import { preprocessFrame } from '../../../core/preprocess/preprocess-frame.ts';
import type { DatasetSummary, ExampleRef } from '../data/dataset-types.ts';
import { projectDecoder } from '../data/decode-example.ts';
import { openDataset } from '../data/open-dataset.ts';
import { inputToGrey, overlayCam, pngDataUrl } from '../report/image-encoding.ts';
import type { ReportExample } from '../report/report-data.ts';
import { postprocessExample, runExamples, type ExampleOutput } from './predict-examples.ts';
import { summarizePredictions, type EvaluationCurves, type EvaluationSummary, type PredictionRecord } from './summarize.ts';

export type EvaluationSplit = 'test' | 'all';

export interface EvaluateModelOptions {
  split?: EvaluationSplit;
  /** Seed of the patient split when `split` is 'test' (must be the one training used). */
  seed?: number;
  batchSize?: number;
  bootstrapIterations?: number;
  skipBad?: boolean;
  /** How many example images with activation maps to prepare for the report (0: none). */
  examples?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ModelEvaluation {
  summary: EvaluationSummary;
  curves: EvaluationCurves;
  split: EvaluationSplit;
  dataset: DatasetSummary;
  /** Images left out because they could not be read (only with skipBad). */
  skipped: number;
  examples: ReportExample[];
}

/**
 * Picks report examples, most instructive first: per label the best-scored true positive,
 * then per label the worst-scored miss (positive below threshold), then per label the
 * highest-scored false alarm; then the remaining images by their highest score.
 * @returns up to `count` distinct record indices.
 */
export function pickExamples(records: readonly PredictionRecord[], thresholds: readonly number[], count: number): number[] {
  const chosen: number[] = [];
  const pick = (j: number, eligible: (r: PredictionRecord) => boolean, better: (a: number, b: number) => boolean): void => {
    let best = -1;
    records.forEach((r, i) => {
      if (chosen.includes(i) || !eligible(r)) return;
      if (best < 0 || better(r.scores[j] as number, records[best]!.scores[j] as number)) best = i;
    });
    if (best >= 0 && chosen.length < count) chosen.push(best);
  };
  const above = (r: PredictionRecord, j: number): boolean => (r.scores[j] as number) >= (thresholds[j] as number);
  const higher = (a: number, b: number): boolean => a > b;
  thresholds.forEach((_, j) => pick(j, (r) => r.truth[j] === 1 && above(r, j), higher));
  thresholds.forEach((_, j) => pick(j, (r) => r.truth[j] === 1 && !above(r, j), (a, b) => a < b));
  thresholds.forEach((_, j) => pick(j, (r) => r.truth[j] === 0 && above(r, j), higher));
  const maxScore = (r: PredictionRecord): number => Math.max(...Array.from(r.scores));
  const rest = records.map((_, i) => i).filter((i) => !chosen.includes(i));
  rest.sort((a, b) => maxScore(records[b]!) - maxScore(records[a]!) || a - b);
  return [...chosen, ...rest].slice(0, count);
}

async function reportExample(loaded: LoadedModel, ref: ExampleRef, record: PredictionRecord): Promise<ReportExample> {
  const { card } = loaded;
  const image = await (await projectDecoder())(new Uint8Array(await readFile(ref.path)));
  // predictImage's steps, keeping the model input to draw it.
  const input = preprocessFrame(image, 0, card.preprocessing);
  const [prediction] = (await predictBatch(loaded, input.data, 1, { headers: [image], cam: true })) as [Awaited<ReturnType<typeof predictBatch>>[number]];
  const grey = inputToGrey(input.data, input.width, input.height, card.preprocessing);
  const overlays: Record<string, string> = {};
  for (const label of card.labels) {
    const cam = prediction.cam?.[label];
    if (cam) overlays[label] = pngDataUrl(overlayCam(grey, cam.data, prediction.positives.includes(label) ? 0.65 : 0.25));
  }
  const truth: Record<string, number> = {};
  card.labels.forEach((label, j) => (truth[label] = record.truth[j] as number));
  return { name: basename(ref.path), truth, scores: prediction.scores, positives: prediction.positives, oodFlagged: prediction.ood.flagged, image: pngDataUrl(grey), overlays };
}

export async function evaluateModel(loaded: LoadedModel, dataDir: string, options: EvaluateModelOptions = {}): Promise<ModelEvaluation> {
  const { card } = loaded;
  const split = options.split ?? 'test';
  // The same seed (and default fractions) as `radlocal train` used, so 'test' is its held-out split.
  const dataset = openDataset(dataDir, {
    labels: card.labels,
    requirePositives: false,
    skipBad: options.skipBad ?? false,
    seed: options.seed ?? card.trainingData.seed ?? card.training.seed,
    ...(split === 'all' ? { splitFractions: { train: 0, val: 0, test: 1 } } : {}),
  });
  const refs = dataset.splits.test;
  if (refs.length === 0) throw new RadLocalError('DATASET_INVALID', `Expected images in the ${split} split of ${dataDir}, but it is empty.`);
  const { outputs, bad } = await runExamples(loaded, refs, { batchSize: options.batchSize, skipBad: options.skipBad, onProgress: options.onProgress });
  const records = outputs.map((output: ExampleOutput): PredictionRecord => {
    const prediction = postprocessExample(loaded, output);
    return {
      logits: output.logits,
      scores: card.labels.map((label) => prediction.scores[label] as number),
      truth: output.ref.labels,
      oodFlagged: prediction.ood.flagged,
    };
  });
  const thresholds: Record<string, number> = {};
  for (const label of card.labels) thresholds[label] = card.thresholds[label]?.threshold as number;
  const { summary, curves } = summarizePredictions(records, {
    labels: card.labels,
    thresholds,
    bootstrapIterations: options.bootstrapIterations ?? 1000,
    seed: options.seed ?? 0,
  });
  const examples: ReportExample[] = [];
  for (const i of pickExamples(records, card.labels.map((l) => thresholds[l] as number), options.examples ?? 0)) examples.push(await reportExample(loaded, outputs[i]!.ref, records[i]!));
  return { summary, curves, split, dataset: dataset.summary, skipped: bad.length, examples };
}
