/**
 * The CSV label manifest, read the same way by `radlocal train` (training/src/data, from disk)
 * and by the viewer's site validation (from a file the user opens): a path column (`path`,
 * `file`, `filename`, `image`, `image_path`; relative to the dataset folder or absolute), an
 * optional patient column (`patient_id`, `patientId`, `patient`) and one 0/1 column per label.
 * Every other column must be a label column. The phantom generator's `labels.csv`
 * (`file,patient_id,<label…>`) is such a manifest. Pure: text in, rows out; no file access.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import { parseCsv, type CsvTable } from './csv.ts';
import { parseBinary } from './label-values.ts';

export const PATH_COLUMNS = ['path', 'file', 'filename', 'image', 'image_path'];
export const PATIENT_COLUMNS = ['patient_id', 'patientid', 'patient'];

export function findColumn(header: string[], candidates: string[]): string | undefined {
  return header.find((h) => candidates.includes(h.toLowerCase()));
}

export interface ManifestRow {
  /** The path cell as written (relative to the dataset folder, or absolute). */
  path: string;
  /** The patient cell; undefined when the manifest has no patient column or the cell is empty. */
  patientId: string | undefined;
  /** One value per label, in `LabelManifest.labels` order, as `parseCell` reads it (default 0/1). */
  values: Int8Array;
  /** The view cell as written, when the manifest has a view column. */
  view: string | undefined;
}

export interface LabelManifest {
  pathColumn: string;
  patientColumn: string | undefined;
  viewColumn: string | undefined;
  labels: string[];
  rows: ManifestRow[];
}

export interface ManifestOptions {
  /** Reads one label cell (default parseBinary: 0/1); throws DATASET_INVALID for a bad cell. */
  parseCell?: (value: string, column: string, fileName: string, line: number) => number;
  /** Column names (lower case) that hold the view position; such a column is not a label. */
  viewColumns?: readonly string[];
}

/**
 * The manifest's columns and rows from its parsed table.
 * @throws RadLocalError DATASET_INVALID naming the column or line at fault.
 */
export function labelManifestRows(table: CsvTable, fileName: string, options: ManifestOptions = {}): LabelManifest {
  const parseCell = options.parseCell ?? parseBinary;
  const pathColumn = findColumn(table.header, PATH_COLUMNS);
  if (!pathColumn) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected a path column (${PATH_COLUMNS.join(', ')}) in ${fileName}, but its columns are: ${table.header.join(', ')}.`,
    );
  }
  const patientColumn = findColumn(table.header, PATIENT_COLUMNS);
  const viewColumn = options.viewColumns ? findColumn(table.header, [...options.viewColumns]) : undefined;
  const labels = table.header.filter((h) => h !== pathColumn && h !== patientColumn && h !== viewColumn);
  if (labels.length === 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected at least one 0/1 label column in ${fileName}, but it has only ${table.header.join(', ')}.`);
  }
  const rows = table.records.map((record, k): ManifestRow => {
    const path = record[pathColumn] ?? '';
    if (path === '') throw new RadLocalError('DATASET_INVALID', `Expected a file path on line ${k + 2} of ${fileName}, but the ${pathColumn} cell is empty.`);
    const values = Int8Array.from(labels.map((label) => parseCell(record[label] ?? '', label, fileName, k + 2)));
    return { path, patientId: (patientColumn ? record[patientColumn] : undefined) || undefined, values, view: viewColumn ? record[viewColumn] : undefined };
  });
  return { pathColumn, patientColumn, viewColumn, labels, rows };
}

/** The manifest from its CSV text (the viewer reads a file the user opened). */
export function parseLabelManifest(text: string, fileName: string, options: ManifestOptions = {}): LabelManifest {
  return labelManifestRows(parseCsv(text, fileName), fileName, options);
}
