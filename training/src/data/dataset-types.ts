/**
 * Types of the dataset API (see open-dataset.ts and batch-loader.ts).
 */

/** The model's default findings, in output order (the phantom generator's labels). */
export const DEFAULT_LABELS = ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'] as const;

export type LayoutName = 'phantom' | 'csv-manifest' | 'rsna-pneumonia' | 'nih-chestxray14' | 'folder-per-class';

/** One image of a dataset; cheap (no pixels), safe to keep 100,000 in memory. */
export interface ExampleRef {
  /** Absolute path of the image file (DICOM, PNG or JPEG). */
  path: string;
  /** Patient identifier (from the layout; the file stem when the layout has none). */
  patientId: string;
  /** 0/1 per label, in `labels` order. */
  labels: Uint8Array;
}

/** What a layout reader found, before validation and split. */
export interface RawDataset {
  layout: LayoutName;
  labels: string[];
  examples: ExampleRef[];
  /** Files named by the layout that are not on disk (absolute paths). */
  missing: string[];
}

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}

export interface BadFilesReport {
  count: number;
  /** First ten offending paths. */
  first: string[];
}

export interface SplitSummary {
  examples: number;
  patients: number;
  /** Positives per label. */
  positives: Record<string, number>;
}

export interface DatasetSummary {
  root: string;
  layout: LayoutName;
  labels: string[];
  examples: number;
  patients: number;
  seed: number;
  splitFractions: SplitFractions;
  splits: { train: SplitSummary; val: SplitSummary; test: SplitSummary };
  /** Files the layout lists but that are missing (skipped because skipBad was set). */
  missing: BadFilesReport;
}

export interface Dataset {
  root: string;
  layout: LayoutName;
  labels: string[];
  splits: { train: ExampleRef[]; val: ExampleRef[]; test: ExampleRef[] };
  summary: DatasetSummary;
}
