/**
 * Dataset API used by training and evaluation.
 *
 * ```ts
 * const ds = openDataset('datasets/generated/phantoms', { labels: card.labels, seed: 1 });
 * ds.splits.train   // ExampleRef[] — {path, patientId, labels: Uint8Array}, no pixels
 * ds.summary        // counts per split and label, layout, skipped files
 * const loader = createBatchLoader({ params: card.preprocessing, workers: 2, skipBad });
 * const { ok } = await loader.scan(ds.splits.train); // optional: find unreadable images up front
 * const { x, y } = await loader.load(ok.slice(0, 32));
 * // x: Float32Array [B, H, W, 1]; y: Float32Array [B, L] (0/1)
 * await loader.close();
 * ```
 *
 * Layouts (auto-detected, see layouts/detect-layout.ts): phantom labels.csv, CSV manifest,
 * RSNA Pneumonia, NIH ChestX-ray14, folder per class.
 *
 * Errors: DATASET_INVALID (no layout, bad label cells, unknown label columns, a label set
 * that does not match `labels`, a label with no positive example) and DATASET_BAD_FILES
 * (files listed but missing, unless `skipBad`). Unreadable images are found when decoded,
 * by the batch loader (same `skipBad` rule).
 */
import { resolve } from 'node:path';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { BadFilesReport, Dataset, ExampleRef, RawDataset, SplitFractions, SplitSummary } from './dataset-types.ts';
import { readLayout } from './layouts/detect-layout.ts';
import { DEFAULT_SPLIT_FRACTIONS, splitByPatient } from './patient-split.ts';

export interface OpenDatasetOptions {
  /**
   * The model's labels, in output order. The dataset must provide exactly this set (columns
   * are reordered to match); NIH findings are mapped onto it. Default: the layout's labels.
   */
  labels?: readonly string[];
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

/** Reorders label columns to `wanted`; DATASET_INVALID when the sets differ. */
export function matchLabels(raw: RawDataset, wanted: readonly string[] | undefined): RawDataset {
  if (!wanted) return raw;
  const extra = raw.labels.filter((l) => !wanted.includes(l));
  const absent = wanted.filter((l) => !raw.labels.includes(l));
  if (extra.length > 0 || absent.length > 0) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected the dataset's labels to be the model's (${wanted.join(', ')}), but the ${raw.layout} dataset has ${raw.labels.join(', ')}` +
        `${extra.length ? ` — unknown label column(s): ${extra.join(', ')}` : ''}${absent.length ? ` — missing: ${absent.join(', ')}` : ''}.`,
    );
  }
  const order = wanted.map((l) => raw.labels.indexOf(l));
  const examples = raw.examples.map((e) => ({ ...e, labels: Uint8Array.from(order.map((k) => e.labels[k] as number)) }));
  return { ...raw, labels: [...wanted], examples };
}

function summarise(refs: ExampleRef[], labels: string[]): SplitSummary {
  const positives: Record<string, number> = {};
  labels.forEach((l, k) => (positives[l] = refs.reduce((n, r) => n + (r.labels[k] as number), 0)));
  return { examples: refs.length, patients: new Set(refs.map((r) => r.patientId)).size, positives };
}

/** Reads, validates and splits a dataset folder. Synchronous; reads only the label files and directory listings. */
export function openDataset(dir: string, options: OpenDatasetOptions = {}): Dataset {
  const root = resolve(dir);
  const seed = options.seed ?? 0;
  const splitFractions = options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS;
  const raw = matchLabels(readLayout(root, { labels: options.labels, manifest: options.manifest }), options.labels);
  if (raw.missing.length > 0 && !options.skipBad) throw badFilesError(raw.missing, 'on disk');
  if (raw.examples.length === 0) throw new RadLocalError('DATASET_INVALID', `Expected images in the ${raw.layout} dataset at ${root}, but found none.`);
  if (options.requirePositives ?? true) {
    const all = summarise(raw.examples, raw.labels);
    const empty = raw.labels.filter((l) => all.positives[l] === 0);
    if (empty.length > 0) {
      throw new RadLocalError('DATASET_INVALID', `Expected at least one positive example of every label, but none has: ${empty.join(', ')}.`);
    }
  }
  const splits = splitByPatient(raw.examples, splitFractions, seed);
  return {
    root,
    layout: raw.layout,
    labels: raw.labels,
    splits,
    summary: {
      root,
      layout: raw.layout,
      labels: raw.labels,
      examples: raw.examples.length,
      patients: new Set(raw.examples.map((e) => e.patientId)).size,
      seed,
      splitFractions,
      splits: { train: summarise(splits.train, raw.labels), val: summarise(splits.val, raw.labels), test: summarise(splits.test, raw.labels) },
      missing: badFilesReport(raw.missing),
    },
  };
}
