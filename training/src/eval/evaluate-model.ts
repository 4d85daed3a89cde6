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
import { applySiteProfile } from '../../../core/site/apply-site-profile.ts';
import type { SiteProfile } from '../../../core/site/site-profile.ts';
import type { DatasetSummary, ExampleRef } from '../data/dataset-types.ts';
import { projectDecoder } from '../data/decode-example.ts';
import { splitFingerprint } from '../data/dataset-fingerprint.ts';
import { openDataset } from '../data/open-dataset.ts';
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
  /** Score with this site profile's calibration and thresholds (checked against the model by the caller). */
  site?: SiteProfile;
}

/** An image shown in the report: its model input, scores and activation maps (rendered by training/src/report). */
export interface EvaluationExample {
  /** Display name of the image (file name, no folders). */
  name: string;
  truth: Record<string, number>;
  scores: Record<string, number>;
  positives: string[];
  oodFlagged: boolean;
  /** The model input [height, width] (normalised as the card's preprocessing says). */
  input: { data: Float32Array; width: number; height: number };
  /** The input's normalisation, to render it grey again. */
  normalisation: { mean: number; std: number };
  /** Per label: the [0, 1] activation map of the input's size. */
  cams: Record<string, Float32Array>;
}

export interface ModelEvaluation {
  summary: EvaluationSummary;
  curves: EvaluationCurves;
  split: EvaluationSplit;
  dataset: DatasetSummary;
  /** Images left out because they could not be read (only with skipBad). */
  skipped: number;
  examples: EvaluationExample[];
  /** The scored images' paths, in order. */
  files: string[];
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

async function evaluationExample(loaded: LoadedModel, ref: ExampleRef, record: PredictionRecord): Promise<EvaluationExample> {
  const { card } = loaded;
  const image = await (await projectDecoder())(new Uint8Array(await readFile(ref.path)));
  // predictImage's steps, keeping the model input to draw it.
  const input = preprocessFrame(image, 0, card.preprocessing);
  const [prediction] = (await predictBatch(loaded, input.data, 1, { headers: [image], cam: true })) as [Awaited<ReturnType<typeof predictBatch>>[number]];
  const cams: Record<string, Float32Array> = {};
  for (const label of card.labels) {
    const cam = prediction.cam?.[label];
    if (cam) cams[label] = cam.data;
  }
  const truth: Record<string, number> = {};
  card.labels.forEach((label, j) => (truth[label] = record.truth[j] as number));
  return {
    name: basename(ref.path),
    truth,
    scores: prediction.scores,
    positives: prediction.positives,
    oodFlagged: prediction.ood.flagged,
    input: { data: input.data, width: input.width, height: input.height },
    normalisation: { mean: card.preprocessing.mean, std: card.preprocessing.std },
    cams,
  };
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
  const trainedTest = card.trainingData.testSplitFingerprint;
  if (split === 'test' && trainedTest !== undefined && splitFingerprint(dataset, 'test') !== trainedTest) {
    throw new RadLocalError(
      'EVAL_SPLIT_CHANGED',
      `The test split of ${dataDir} made today is not the one this model was held out from (its card records the test split's fingerprint ${trainedTest.slice(0, 12)}…): the patient split has changed since the model was trained, so its held-out images cannot be told from its training images. Evaluate it on images it was never trained on instead (e.g. radlocal synth with another seed, then --split all).`,
    );
  }
  const { outputs, bad } = await runExamples(loaded, refs, { batchSize: options.batchSize, skipBad: options.skipBad, onProgress: options.onProgress });
  const records = outputs.map((output: ExampleOutput): PredictionRecord => {
    const byCard = postprocessExample(loaded, output);
    // With a site profile, the site's calibration (core/site), as predict --site and the viewer.
    const prediction = options.site ? applySiteProfile(options.site, byCard) : byCard;
    return {
      logits: output.logits,
      scores: card.labels.map((label) => prediction.scores[label] as number),
      truth: output.ref.labels,
      oodFlagged: prediction.ood.flagged,
    };
  });
  const thresholds: Record<string, number> = {};
  for (const label of card.labels) thresholds[label] = options.site ? (options.site.findings[label]?.threshold as number) : (card.thresholds[label]?.threshold as number);
  const { summary, curves } = summarizePredictions(records, {
    labels: card.labels,
    thresholds,
    bootstrapIterations: options.bootstrapIterations ?? 1000,
    seed: options.seed ?? 0,
  });
  const examples: EvaluationExample[] = [];
  for (const i of pickExamples(records, card.labels.map((l) => thresholds[l] as number), options.examples ?? 0)) examples.push(await evaluationExample(loaded, outputs[i]!.ref, records[i]!));
  return { summary, curves, split, dataset: dataset.summary, skipped: bad.length, examples, files: outputs.map((o) => o.ref.path) };
}
