/**
 * Types of the dataset API (see open-dataset.ts and batch-loader.ts).
 */

/** The model's default findings, in output order (the phantom generator's labels). */
export const DEFAULT_LABELS = ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'] as const;

export type LayoutName =
  | 'phantom'
  | 'csv-manifest'
  | 'rsna-pneumonia'
  | 'nih-chestxray14'
  | 'chexpert'
  | 'mimic-cxr-jpg'
  | 'padchest'
  | 'folder-per-class';

export type SplitName = 'train' | 'val' | 'test';

/** One image of a dataset; cheap (no pixels), safe to keep 100,000 in memory. */
export interface ExampleRef {
  /** Absolute path of the image file (DICOM, PNG or JPEG). */
  path: string;
  /** Patient identifier (from the layout; the file stem when the layout has none). */
  patientId: string;
  /** 0/1 per label, in `labels` order (0 where the label is unknown, see `known`). */
  labels: Uint8Array;
  /**
   * 1 where the label is known, 0 where the dataset does not say (an uncertain mention under
   * U-Ignore): such entries are masked out of the loss, calibration and metrics. Absent = all known.
   */
  known?: Uint8Array;
  /** View position as the layout gives it, normalised (PA, AP, LATERAL, LL, …); absent = not said. */
  view?: string;
}

/** Raw label cell values of a layout, before the label mapping and the uncertainty policy. */
export const RAW_POSITIVE = 1;
export const RAW_NEGATIVE = 0;
/** An uncertain mention (CheXpert / MIMIC-CXR −1). */
export const RAW_UNCERTAIN = -1;
/** A blank cell: the finding is not mentioned (CheXpert / MIMIC-CXR). */
export const RAW_BLANK = -2;

/** One image as a layout reads it: raw values per dataset label column. */
export interface RawExample {
  path: string;
  patientId: string;
  /** Per `RawDataset.labels`: RAW_POSITIVE, RAW_NEGATIVE, RAW_UNCERTAIN or RAW_BLANK. */
  values: Int8Array;
  /** Normalised view position (see views.ts), '' or absent when the layout does not say. */
  view?: string;
  /** The dataset's own split for this image (MIMIC-CXR split CSV, CheXpert valid.csv). */
  split?: SplitName;
}

/** What a layout reader found, before label mapping, view filtering, validation and split. */
export interface RawDataset {
  layout: LayoutName;
  /** The dataset's own label names (column names, findings, class folders). */
  labels: string[];
  examples: RawExample[];
  /** Files named by the layout that are not on disk (absolute paths). */
  missing: string[];
  /** The label / manifest files read, relative to the dataset folder. */
  files?: string[];
  /** Where the view comes from (e.g. "Frontal/Lateral + AP/PA columns"), when the layout has one. */
  viewSource?: string;
  /** Rows left out by the reader itself, count per reason (e.g. "no labels for the study"). */
  excluded?: Record<string, number>;
  /** Where the split comes from when the dataset has its own (examples carry `split`). */
  splitSource?: string;
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
  /** Known negatives per label. */
  negatives: Record<string, number>;
  /** Images whose label is unknown (masked), per label. */
  unknown: Record<string, number>;
}

/** How a model label is read from the dataset. */
export interface LabelSource {
  /** Dataset columns / findings combined (positive if any is positive). */
  columns: string[];
  /** Uncertainty policy applied to −1 (uncertain) values. */
  uncertain: UncertaintyPolicy;
}

/** CheXpert paper policies for uncertain (−1) labels. */
export type UncertaintyPolicy = 'ignore' | 'ones' | 'zeros';

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
  /** Label / manifest files read. */
  files: string[];
  /** Model label → the dataset columns it is read from and the uncertainty policy. */
  mapping: Record<string, LabelSource>;
  /** Dataset label columns no model label uses. */
  unusedColumns: string[];
  /** Which views were kept, and what was left out and why (count per reason). */
  eligibility: { views: string; viewSource: string; kept: Record<string, number>; excluded: Record<string, number> };
  /** 'stratified by patient (seed N)' or the dataset's own split file. */
  splitMethod: string;
}

export interface Dataset {
  root: string;
  layout: LayoutName;
  labels: string[];
  splits: { train: ExampleRef[]; val: ExampleRef[]; test: ExampleRef[] };
  summary: DatasetSummary;
}
