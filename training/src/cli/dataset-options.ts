/**
 * The dataset options of `radlocal train` (and any command that reads a labelled folder):
 * --labels, --uncertain, --views, --skip-bad, and `--check`, which prints the dataset check
 * (training/src/data/check-dataset.ts) as text, or as one JSON object with --json.
 */
import { DEFAULT_PREPROCESS_PARAMS } from '../../../core/preprocess/params.ts';
import { checkDataset, formatDatasetCheck, type DatasetCheck } from '../data/check-dataset.ts';
import { parseLabelRequests, parseUncertainty, type LabelRequest } from '../data/label-map.ts';
import { parseViewSelection, type ViewSelection } from '../data/views.ts';

export const DATASET_OPTIONS = {
  labels: { type: 'string' },
  uncertain: { type: 'string' },
  views: { type: 'string' },
  'skip-bad': { type: 'boolean' },
} as const;

export const DATASET_HELP = `  --labels L,L=COL|COL… the model's labels, optionally the dataset columns each is read from
                        (default for NIH, CheXpert, MIMIC-CXR, PadChest: cardiomegaly,
                        pleural_effusion, pneumothorax, nodule via synonyms; see datasets/README.md)
  --uncertain P         −1 (uncertain) labels: ignore (U-Ignore, masked; default), ones, zeros,
                        or per label: zeros,edema=ones
  --views V             frontal (PA, AP; default), all, or a list such as PA
  --skip-bad            leave missing and unreadable images out (counted) instead of refusing`;

export interface DatasetOptionValues {
  labels?: string | undefined;
  uncertain?: string | undefined;
  views?: string | undefined;
  'skip-bad'?: boolean | undefined;
}

export interface ParsedDatasetOptions {
  labels?: LabelRequest[];
  uncertain?: string;
  views: ViewSelection;
  skipBad: boolean;
}

/** Parses (and validates, CLI_USAGE) the dataset options. */
export function parseDatasetOptions(v: DatasetOptionValues): ParsedDatasetOptions {
  if (v.uncertain !== undefined) parseUncertainty(v.uncertain);
  return {
    ...(v.labels !== undefined ? { labels: parseLabelRequests(v.labels) } : {}),
    ...(v.uncertain !== undefined ? { uncertain: v.uncertain } : {}),
    views: parseViewSelection(v.views),
    skipBad: v['skip-bad'] === true,
  };
}

/**
 * `--check`: the dataset check alone (every image decoded at `imageSize`), printed for a
 * person (stderr keeps stdout for --json) or as JSON. @returns 0 when the dataset can be
 * trained on, 1 when it has problems.
 */
export async function runDatasetCheck(
  dir: string,
  options: ParsedDatasetOptions & { seed: number; imageSize: number; json: boolean; workers?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ code: number; check: DatasetCheck }> {
  const { check } = await checkDataset(dir, {
    ...options,
    scan: { params: { ...DEFAULT_PREPROCESS_PARAMS, height: options.imageSize, width: options.imageSize }, ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  });
  if (options.json) process.stdout.write(`${JSON.stringify(check)}\n`);
  else process.stdout.write(formatDatasetCheck(check));
  return { code: check.ok ? 0 : 1, check };
}
