/**
 * The dataset check `radlocal train` runs before any training (and `radlocal train --check`
 * alone): what the layout is, how many images and patients, which were left out and why
 * (views, missing and unreadable files), duplicate images by pixel hash (kept in one split so
 * they cannot leak between training and test), patients crossing splits, and per label and
 * split the positives / negatives / unknowns — and, with the numbers, which labels cannot be
 * learned (no training positive), calibrated (validation lacks positives or negatives) or
 * evaluated (test lacks them).
 *
 * ```ts
 * const { dataset, check } = await checkDataset(dir, { seed: 1, labels, scan: { params } });
 * if (!check.ok) throw datasetRefusal(check);       // before a single training step
 * process.stdout.write(formatDatasetCheck(check));  // the summary a user reads
 * ```
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { PreprocessParams } from '../../../core/preprocess/params.ts';
import { createBatchLoader, type BatchLoader } from './batch-loader.ts';
import type { BadFilesReport, Dataset, DatasetSummary, SplitName, UncertaintyPolicy } from './dataset-types.ts';
import { badFilesReport, indexDataset, selectLabels, splitDataset, type OpenDatasetOptions } from './open-dataset.ts';
import { DEFAULT_SPLIT_FRACTIONS } from './patient-split.ts';
import { normaliseView, viewVerdict } from './views.ts';

const SPLITS: readonly SplitName[] = ['train', 'val', 'test'];

export interface LabelCount {
  positives: number;
  negatives: number;
  unknown: number;
}

export interface LabelCheck {
  label: string;
  columns: string[];
  uncertain: UncertaintyPolicy;
  /** Patients with at least one positive image, over all splits. */
  positivePatients: number;
  splits: Record<SplitName, LabelCount>;
  learnable: boolean;
  calibratable: boolean;
  evaluable: boolean;
  /** Why the label cannot be learned, calibrated or evaluated (absent when it can). */
  problem?: string;
}

export interface DatasetCheck {
  ok: boolean;
  summary: DatasetSummary;
  /** Rows the layout names, before eligibility and file checks. */
  indexed: number;
  /** Whether every image was decoded (unreadable files and duplicates are only known then). */
  scanned: boolean;
  unreadable: BadFilesReport;
  /** Sets of images with identical decoded pixels; each set is kept in one split. */
  duplicates: { groups: number; images: number; first: string[][] };
  patientsCrossingSplits: number;
  labels: LabelCheck[];
  /** Every reason to refuse, as sentences with the numbers. */
  problems: string[];
}

export interface CheckDatasetOptions extends OpenDatasetOptions {
  /**
   * Decode every image once (unreadable files, duplicates by pixel hash, DICOM ViewPosition):
   * preprocessing parameters and an optional loader to reuse (its cache is warmed for training).
   * Off when absent.
   */
  scan?: { params: PreprocessParams; loader?: BatchLoader; workers?: number; onProgress?: (done: number, total: number) => void };
}

function count(dataset: Dataset, split: SplitName, label: string): LabelCount {
  const s = dataset.summary.splits[split];
  return { positives: s.positives[label] ?? 0, negatives: s.negatives[label] ?? 0, unknown: s.unknown[label] ?? 0 };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const describe = (c: LabelCount) => `${c.positives} positive and ${c.negatives} negative images${c.unknown ? ` (${c.unknown} unknown)` : ''}`;

function labelCheck(dataset: Dataset, label: string, j: number): LabelCheck {
  const splits = Object.fromEntries(SPLITS.map((s) => [s, count(dataset, s, label)])) as Record<SplitName, LabelCount>;
  const positivePatients = new Set(
    SPLITS.flatMap((s) => dataset.splits[s].filter((r) => r.labels[j] === 1 && (!r.known || r.known[j] === 1)).map((r) => r.patientId)),
  ).size;
  const both = (c: LabelCount) => c.positives > 0 && c.negatives > 0;
  const fractions = dataset.summary.splitFractions;
  const learnable = fractions.train === 0 || splits.train.positives > 0;
  const calibratable = both(splits.val);
  const evaluable = both(splits.test);
  const source = dataset.summary.mapping[label];
  const reasons: string[] = [];
  if (!learnable) reasons.push(`it cannot be learned: the training split has ${describe(splits.train)}`);
  if (!calibratable) reasons.push(`it cannot be calibrated: the validation split has ${describe(splits.val)}`);
  if (!evaluable) reasons.push(`it cannot be evaluated: the test split has ${describe(splits.test)}`);
  const check: LabelCheck = {
    label,
    columns: source?.columns ?? [label],
    uncertain: source?.uncertain ?? 'ignore',
    positivePatients,
    splits,
    learnable,
    calibratable,
    evaluable,
  };
  if (reasons.length > 0) {
    const need = positivePatients < 3 ? ` The dataset has ${plural(positivePatients, 'patient')} with a positive image; a stratified split needs at least 3 (one per split).` : '';
    check.problem = `"${label}": ${reasons.join('; ')}.${need}`;
  }
  return check;
}

function patientsCrossing(dataset: Dataset): number {
  const seen = new Map<string, SplitName>();
  const crossing = new Set<string>();
  for (const s of SPLITS) {
    for (const r of dataset.splits[s]) {
      const before = seen.get(r.patientId);
      if (before !== undefined && before !== s) crossing.add(r.patientId);
      seen.set(r.patientId, s);
    }
  }
  return crossing.size;
}

/** Indexes, (optionally) scans and splits the dataset, and checks it. Never throws for what it can report. */
export async function checkDataset(dir: string, options: CheckDatasetOptions = {}): Promise<{ dataset: Dataset; check: DatasetCheck }> {
  const indexed = indexDataset(dir, { ...options, skipBad: true, requirePositives: false });
  const problems: string[] = [];
  const missing = indexed.summary.missing;
  if (missing.count > 0 && !options.skipBad) {
    problems.push(`${plural(missing.count, 'file')} listed by the dataset ${missing.count === 1 ? 'is' : 'are'} not on disk (first: ${missing.first.join(', ')}); restore them or pass --skip-bad to leave them out.`);
  }
  const drop = new Map<string, string>();
  const linked: string[][] = [];
  let unreadable = badFilesReport([]);
  if (options.scan) {
    const own = options.scan.loader === undefined;
    const loader = options.scan.loader ?? createBatchLoader({ params: options.scan.params, skipBad: true, ...(options.scan.workers !== undefined ? { workers: options.scan.workers } : {}) });
    try {
      const scanned = await loader.scan(indexed.examples, options.scan.onProgress);
      unreadable = scanned.bad;
      for (const path of scanned.badPaths) drop.set(path, 'unreadable');
      const byHash = new Map<string, string[]>();
      let dicomViews = 0;
      const views = options.views ?? 'frontal';
      for (const ref of scanned.ok) {
        const info = scanned.info.get(ref.path);
        if (!info) continue;
        if (!ref.view && info.viewPosition) {
          const view = normaliseView(info.viewPosition);
          const verdict = viewVerdict(view, views, false);
          if (!verdict.keep) {
            drop.set(ref.path, `DICOM ViewPosition ${view}`);
            continue;
          }
          ref.view = view;
          dicomViews++;
        }
        const group = byHash.get(info.pixelHash);
        if (group) group.push(ref.path);
        else byHash.set(info.pixelHash, [ref.path]);
      }
      for (const group of byHash.values()) if (group.length > 1) linked.push(group);
      if (dicomViews > 0 && indexed.summary.eligibility.viewSource.startsWith('none')) indexed.summary.eligibility.viewSource = 'DICOM ViewPosition (0018,5101)';
    } finally {
      if (own) await loader.close();
    }
    if (unreadable.count > 0 && !options.skipBad) {
      problems.push(`${plural(unreadable.count, 'image')} cannot be decoded (first: ${unreadable.first.join(', ')}); fix or remove them, or pass --skip-bad to leave them out.`);
    }
  }
  const dataset = splitDataset(indexed, { seed: options.seed ?? 0, splitFractions: options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS, drop, linked });
  const labels = dataset.labels.map((label, j) => labelCheck(dataset, label, j));
  for (const l of labels) if (l.problem) problems.push(l.problem);
  const check: DatasetCheck = {
    ok: problems.length === 0,
    summary: dataset.summary,
    indexed: indexed.examples.length + Object.values(indexed.summary.eligibility.excluded).reduce((a, b) => a + b, 0) + missing.count,
    scanned: options.scan !== undefined,
    unreadable,
    duplicates: { groups: linked.length, images: linked.reduce((n, g) => n + g.length, 0), first: linked.slice(0, 5) },
    patientsCrossingSplits: patientsCrossing(dataset),
    labels,
    problems,
  };
  return { dataset, check };
}

/** DATASET_INVALID with every problem and what to do about it; `details` carries the check. */
export function datasetRefusal(check: DatasetCheck): RadLocalError {
  const labelProblems = check.labels.some((l) => l.problem);
  return new RadLocalError(
    'DATASET_INVALID',
    `Expected a dataset every label of which can be learned, calibrated and evaluated, but:\n  - ${check.problems.join('\n  - ')}\n` +
      (labelProblems
        ? 'Add positive cases, leave the label out with --labels, or pass --allow-labels-off to train anyway and export the model with those labels switched off (the card says why). '
        : '') +
      'Nothing was trained. `radlocal train --check` prints the full summary.',
    { details: { problems: check.problems } },
  );
}

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** The summary as a user reads it (plain text, one screen for a typical dataset). */
export function formatDatasetCheck(check: DatasetCheck): string {
  const s = check.summary;
  const lines = [
    `Dataset ${s.root}`,
    `  layout        ${s.layout}${s.files.length ? ` (${s.files.join(', ')})` : ''}`,
    `  images        ${s.examples} eligible of ${check.indexed} listed, ${s.patients} patients`,
    `  views         kept ${counts(s.eligibility.kept)} — ${s.eligibility.views}, from ${s.eligibility.viewSource}`,
    `  left out      ${counts(s.eligibility.excluded)}`,
    `  files         ${s.missing.count} missing, ${check.scanned ? `${check.unreadable.count} unreadable` : 'not decoded (unreadable files and duplicates unknown)'}`,
    `  duplicates    ${check.scanned ? `${check.duplicates.groups} sets of identical images (${check.duplicates.images} images), each kept in one split` : 'not checked'}`,
    `  split         ${s.splitMethod}: train ${s.splits.train.examples} (${s.splits.train.patients} patients), val ${s.splits.val.examples} (${s.splits.val.patients}), test ${s.splits.test.examples} (${s.splits.test.patients}); ${check.patientsCrossingSplits} patients in two splits`,
    '',
    `  ${pad('label', 22)}${pad('read from', 28)}${pad('uncertain', 10)}${pad('train +/−/?', 18)}${pad('val +/−/?', 16)}${pad('test +/−/?', 16)}`,
    ...check.labels.map((l) => {
      const c = (x: LabelCount) => `${x.positives}/${x.negatives}/${x.unknown}`;
      const flag = l.problem ? '  ✗' : '';
      return `  ${pad(l.label, 22)}${pad(l.columns.join(' | '), 28)}${pad(l.uncertain, 10)}${pad(c(l.splits.train), 18)}${pad(c(l.splits.val), 16)}${pad(c(l.splits.test), 16)}${flag}`;
    }),
  ];
  if (s.unusedColumns.length > 0) lines.push('', `  not used      ${s.unusedColumns.join(', ')}`);
  lines.push('', check.ok ? '  OK: every label can be learned, calibrated and evaluated.' : `  Problems:\n    - ${check.problems.join('\n    - ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The dataset `radlocal train` trains on: checked first (`onCheck` sees the check), refused
 * with the numbers when it has problems — unless the only problems are labels and
 * `allowLabelsOff` is set: then those labels are switched off (gone from the dataset) and
 * returned with their reasons, for the model card.
 */
export async function trainingDataset(
  dir: string,
  options: CheckDatasetOptions & { allowLabelsOff?: boolean },
  onCheck?: (check: DatasetCheck) => void,
): Promise<{ dataset: Dataset; check: DatasetCheck; labelsOff: Record<string, string> | undefined }> {
  const { dataset, check } = await checkDataset(dir, options);
  onCheck?.(check);
  if (check.ok) return { dataset, check, labelsOff: undefined };
  const off = check.labels.filter((l) => l.problem !== undefined);
  const onlyLabels = off.length === check.problems.length;
  if (!options.allowLabelsOff || !onlyLabels || off.length === check.labels.length) throw datasetRefusal(check);
  const keep = dataset.labels.filter((l) => !off.some((o) => o.label === l));
  return { dataset: selectLabels(dataset, keep), check, labelsOff: Object.fromEntries(off.map((l) => [l.label, l.problem as string])) };
}

/** One line for the model card's `trainingData.source`: layout, files, views, label mapping and policy. */
export function describeTrainingData(summary: DatasetSummary): string {
  const mapping = summary.labels
    .map((l) => {
      const m = summary.mapping[l];
      return m && (m.columns.length !== 1 || m.columns[0] !== l) ? `${l} ← ${m.columns.join(' | ')}` : l;
    })
    .join(', ');
  const policies = [...new Set(summary.labels.map((l) => summary.mapping[l]?.uncertain ?? 'ignore'))].join('/');
  return `${summary.layout} dataset${summary.files.length ? ` (${summary.files.join(', ')})` : ''}; views: ${summary.eligibility.views}; labels: ${mapping}; uncertain labels: ${policies}`;
}
