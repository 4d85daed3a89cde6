/**
 * Dataset API used by training and evaluation.
 *
 * ```ts
 * const ds = openDataset('datasets/generated/phantoms', { labels: card.labels, seed: 1 });
 * ds.splits.train   // ExampleRef[] — {path, patientId, labels: Uint8Array, known?}, no pixels
 * ds.summary        // layout, label mapping, eligibility, counts per split and label
 * const loader = createBatchLoader({ params: card.preprocessing, workers: 2, skipBad });
 * const { x, y } = await loader.load(ds.splits.train.slice(0, 32));
 * // x: Float32Array [B, H, W, 1]; y: Float32Array [B, L] (0/1, NaN where unknown)
 * await loader.close();
 * ```
 *
 * Steps: read the layout (layouts/detect-layout.ts) → keep eligible views (views.ts) → map
 * the dataset's labels onto the model's with the uncertainty policy (label-map.ts) → split by
 * patient, stratified (patient-split.ts). `indexDataset` and `splitDataset` are the two
 * halves, for callers that drop images between them (the image scan of check-dataset.ts).
 *
 * Errors: DATASET_INVALID (no layout, bad label cells, a requested label the dataset does not
 * have, no eligible image, a label with no positive example unless `requirePositives` is
 * false) and DATASET_BAD_FILES (files listed but missing, unless `skipBad`).
 */
import { resolve } from 'node:path';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { createRng, shuffleInPlace } from '../../../core/random/prng.ts';
import {
  DEFAULT_LABELS,
  type BadFilesReport,
  type Dataset,
  type DatasetSummary,
  type ExampleRef,
  type LayoutName,
  type SplitFractions,
  type SplitName,
  type SplitSummary,
} from './dataset-types.ts';
import { createLabelApplier, parseUncertainty, resolveLabelMapping, type LabelRequest } from './label-map.ts';
import { readLayout } from './layouts/detect-layout.ts';
import { DEFAULT_SPLIT_FRACTIONS, splitByPatient } from './patient-split.ts';
import { describeViews, viewVerdict, type ViewSelection } from './views.ts';

/** Layouts of public datasets whose findings default to the RadLocal findings (DEFAULT_LABELS). */
const PUBLIC_LAYOUTS: readonly LayoutName[] = ['nih-chestxray14', 'chexpert', 'mimic-cxr-jpg', 'padchest'];

export interface OpenDatasetOptions {
  /**
   * The model's labels, in output order, each read from its synonyms in the dataset (see
   * label-map.ts), or `--labels` requests naming the columns. Default: the RadLocal findings
   * for public datasets, else the dataset's own labels.
   */
  labels?: readonly (string | LabelRequest)[];
  /** Uncertainty policy for −1 values: `ignore` (default), `ones`, `zeros`, or per label (`zeros,edema=ones`). */
  uncertain?: string;
  /** Views to keep. Default 'frontal' (PA, AP). */
  views?: ViewSelection;
  /** Skip (and report) missing or unreadable files instead of failing. Default false. */
  skipBad?: boolean;
  /** Seed of the patient split. Default 0. */
  seed?: number;
  /** Default {train: 0.8, val: 0.1, test: 0.1}; use {train: 0, val: 0, test: 1} to evaluate a whole folder. */
  splitFractions?: SplitFractions;
  /** A CSV manifest file name to use instead of auto-detection. */
  manifest?: string;
  /** Fail when a label has no positive example. Default true. */
  requirePositives?: boolean;
}

/** A dataset read, mapped and filtered, not yet split. */
export interface IndexedDataset {
  root: string;
  layout: LayoutName;
  labels: string[];
  examples: ExampleRef[];
  /** Split the dataset fixes, by example index. */
  fixedSplits: (SplitName | undefined)[];
  summary: Omit<DatasetSummary, 'seed' | 'splitFractions' | 'splits' | 'patients' | 'examples' | 'splitMethod'> & { splitSource: string | undefined };
}

export function badFilesReport(paths: string[]): BadFilesReport {
  return { count: paths.length, first: paths.slice(0, 10) };
}

export function badFilesError(paths: string[], what: string): RadLocalError {
  const report = badFilesReport(paths);
  return new RadLocalError(
    'DATASET_BAD_FILES',
    `Expected every image of the dataset to be ${what}, but ${report.count} ${report.count === 1 ? 'is' : 'are'} not (first: ${report.first.join(', ')}). Fix or remove them, or pass --skip-bad to skip them.`,
    { details: { ...report } },
  );
}

export function summariseSplit(refs: readonly ExampleRef[], labels: readonly string[]): SplitSummary {
  const positives: Record<string, number> = {};
  const negatives: Record<string, number> = {};
  const unknown: Record<string, number> = {};
  labels.forEach((l, j) => {
    let p = 0;
    let u = 0;
    for (const r of refs) {
      if (r.known && r.known[j] === 0) u++;
      else p += r.labels[j] as number;
    }
    positives[l] = p;
    unknown[l] = u;
    negatives[l] = refs.length - p - u;
  });
  return { examples: refs.length, patients: new Set(refs.map((r) => r.patientId)).size, positives, negatives, unknown };
}

const increment = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Reads the layout, keeps the eligible views and maps the labels (no split). */
export function indexDataset(dir: string, options: OpenDatasetOptions = {}): IndexedDataset {
  const root = resolve(dir);
  const raw = readLayout(root, { ...(options.manifest ? { manifest: options.manifest } : {}) });
  if (raw.missing.length > 0 && !options.skipBad) throw badFilesError(raw.missing, 'on disk');
  const requests =
    options.labels?.map((l) => (typeof l === 'string' ? { label: l } : l)) ??
    (PUBLIC_LAYOUTS.includes(raw.layout) ? DEFAULT_LABELS.map((label) => ({ label })) : undefined);
  const resolved = resolveLabelMapping(raw.labels, requests, parseUncertainty(options.uncertain), raw.layout);
  const apply = createLabelApplier(raw.labels, resolved);
  const views = options.views ?? 'frontal';
  const kept: Record<string, number> = {};
  const excluded: Record<string, number> = { ...raw.excluded };
  const examples: ExampleRef[] = [];
  const fixedSplits: (SplitName | undefined)[] = [];
  for (const e of raw.examples) {
    const verdict = viewVerdict(e.view, views, raw.viewSource !== undefined);
    if (!verdict.keep) {
      increment(excluded, verdict.reason);
      continue;
    }
    increment(kept, e.view || 'not given');
    examples.push(apply(e));
    fixedSplits.push(e.split);
  }
  if (examples.length === 0) {
    const left = Object.entries(excluded).map(([reason, n]) => `${n} ${reason}`).join(', ');
    throw new RadLocalError('DATASET_INVALID', `Expected eligible images in the ${raw.layout} dataset at ${root}, but found none${left ? ` (left out: ${left}; see --views)` : ''}.`);
  }
  if (options.requirePositives ?? true) {
    const all = summariseSplit(examples, resolved.labels);
    const empty = resolved.labels.filter((l) => all.positives[l] === 0);
    if (empty.length > 0) {
      throw new RadLocalError('DATASET_INVALID', `Expected at least one positive example of every label, but none has: ${empty.join(', ')}.`);
    }
  }
  return {
    root,
    layout: raw.layout,
    labels: resolved.labels,
    examples,
    fixedSplits,
    summary: {
      root,
      layout: raw.layout,
      labels: resolved.labels,
      missing: badFilesReport(raw.missing),
      files: raw.files ?? [],
      mapping: resolved.mapping,
      unusedColumns: resolved.unusedColumns,
      eligibility: { views: describeViews(views), viewSource: raw.viewSource ?? 'none (every image kept)', kept, excluded },
      splitSource: raw.splitSource,
    },
  };
}

/**
 * Splits an indexed dataset by patient. `drop` removes images (path → reason, counted in the
 * summary's exclusions); `linked` keeps groups of paths in one split (identical pixels).
 * Images with an unknown label (U-Ignore) and their patients go to training, where the loss
 * masks that label: calibration and test metrics then only see known labels. (When the
 * dataset's own split puts such an image in validation or test, it is left out and counted.)
 */
export function splitDataset(
  indexed: IndexedDataset,
  options: { seed?: number; splitFractions?: SplitFractions; drop?: ReadonlyMap<string, string>; linked?: readonly (readonly string[])[] } = {},
): Dataset {
  const seed = options.seed ?? 0;
  const splitFractions = options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS;
  const excluded = { ...indexed.summary.eligibility.excluded };
  const kept: Record<string, number> = {};
  const examples: ExampleRef[] = [];
  const fixed: (SplitName | undefined)[] = [];
  let uncertainToTrain = 0;
  indexed.examples.forEach((e, i) => {
    const reason = options.drop?.get(e.path);
    if (reason !== undefined) {
      increment(excluded, reason);
      return;
    }
    // An image with an unknown label (U-Ignore) trains, masked; it never calibrates or tests.
    let split = indexed.fixedSplits[i];
    if (e.known?.includes(0)) {
      if (split === 'val' || split === 'test') {
        increment(excluded, `uncertain label in the dataset's ${split === 'val' ? 'validation' : 'test'} split`);
        return;
      }
      split = 'train';
      uncertainToTrain++;
    }
    increment(kept, e.view || 'not given');
    examples.push(e);
    fixed.push(split);
  });
  const position = new Map(examples.map((e, i) => [e.path, i]));
  const linked = (options.linked ?? []).map((group) => group.map((p) => position.get(p)).filter((i): i is number => i !== undefined)).filter((g) => g.length > 1);
  const splits = splitByPatient(examples, splitFractions, seed, { fixed: (_ref, i) => fixed[i], linked });
  const { splitSource, ...rest } = indexed.summary;
  const splitMethod =
    `by patient, stratified per label (seed ${seed}; ${splitFractions.train}/${splitFractions.val}/${splitFractions.test})${splitSource ? `; ${splitSource}` : ''}` +
    (uncertainToTrain > 0 ? `; ${uncertainToTrain} images with an uncertain label (and their patients) in training only` : '');
  const summary: DatasetSummary = {
    ...rest,
    eligibility: { ...rest.eligibility, kept, excluded },
    examples: examples.length,
    patients: new Set(examples.map((e) => e.patientId)).size,
    seed,
    splitFractions,
    splitMethod,
    splits: { train: summariseSplit(splits.train, indexed.labels), val: summariseSplit(splits.val, indexed.labels), test: summariseSplit(splits.test, indexed.labels) },
  };
  return { root: indexed.root, layout: indexed.layout, labels: indexed.labels, splits, summary };
}

/** Reads, validates and splits a dataset folder. Synchronous; reads only the label files and directory listings. */
export function openDataset(dir: string, options: OpenDatasetOptions = {}): Dataset {
  return splitDataset(indexDataset(dir, options), {
    seed: options.seed ?? 0,
    splitFractions: options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS,
  });
}

/** The dataset restricted to `keep` (a subset of its labels, in that order): the labels switched off are gone from every image. */
export function selectLabels(dataset: Dataset, keep: readonly string[]): Dataset {
  const index = keep.map((l) => {
    const j = dataset.labels.indexOf(l);
    if (j < 0) throw new RadLocalError('INTERNAL', `Expected "${l}" to be one of the dataset's labels (${dataset.labels.join(', ')}).`);
    return j;
  });
  const pick = (ref: ExampleRef): ExampleRef => {
    const out: ExampleRef = { ...ref, labels: Uint8Array.from(index, (j) => ref.labels[j] as number) };
    const known = ref.known ? Uint8Array.from(index, (j) => ref.known?.[j] as number) : undefined;
    if (known && !known.includes(0)) delete out.known;
    else if (known) out.known = known;
    return out;
  };
  const splits = { train: dataset.splits.train.map(pick), val: dataset.splits.val.map(pick), test: dataset.splits.test.map(pick) };
  const labels = [...keep];
  const mapping = Object.fromEntries(keep.map((l) => [l, dataset.summary.mapping[l] as NonNullable<(typeof dataset.summary.mapping)[string]>]));
  return {
    ...dataset,
    labels,
    splits,
    summary: {
      ...dataset.summary,
      labels,
      mapping,
      splits: { train: summariseSplit(splits.train, labels), val: summariseSplit(splits.val, labels), test: summariseSplit(splits.test, labels) },
    },
  };
}

/**
 * At most `max` of `refs`, chosen with the seed (all of them, in order, when there are no more
 * than `max`): for statistics that need a sample of a split, not all of it, so memory stays
 * bounded on a 10⁵-image dataset.
 */
export function sampleRefs(refs: readonly ExampleRef[], max: number, seed: number): ExampleRef[] {
  if (refs.length <= max) return [...refs];
  return shuffleInPlace([...refs], createRng(`sample:${seed}`)).slice(0, max);
}
