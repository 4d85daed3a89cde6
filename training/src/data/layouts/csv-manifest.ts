/**
 * CSV manifest layout: one CSV at the folder root with a path column (`path`, `file`,
 * `filename`, `image` or `image_path`, relative to the folder or absolute), an optional
 * patient column (`patient_id`, `patientId`, `patient`; without it the DICOM PatientID, else
 * the file stem), an optional view column (`view`, `view_position`, `ViewPosition`,
 * `projection`) and one label column per finding with 1 / 0, or the CheXpert convention
 * (−1 uncertain, blank not mentioned). Every other column must be a label column: a column
 * with other values is a DATASET_INVALID error naming it.
 */
import { basename, extname, isAbsolute, join } from 'node:path';
import { findColumn, PATH_COLUMNS, PATIENT_COLUMNS } from '../../../../core/dataset/label-manifest.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { readCsvTable } from '../csv-source.ts';
import { createFileExistence } from '../file-index.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { dicomPatientId, isDicomPath } from '../dicom-patient-id.ts';
import { parseTriState } from '../label-cells.ts';
import { normaliseView } from '../views.ts';

export const VIEW_COLUMNS = ['view', 'view_position', 'viewposition', 'projection'];

export function readManifest(dir: string, fileName: string): RawDataset {
  const table = readCsvTable(dir, fileName);
  const pathColumn = findColumn(table.header, PATH_COLUMNS);
  if (!pathColumn) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected a path column (${PATH_COLUMNS.join(', ')}) in ${fileName}, but its columns are: ${table.header.join(', ')}.`,
    );
  }
  const patientColumn = findColumn(table.header, PATIENT_COLUMNS);
  const viewColumn = findColumn(table.header, VIEW_COLUMNS);
  const labels = table.header.filter((h) => h !== pathColumn && h !== patientColumn && h !== viewColumn);
  if (labels.length === 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected at least one 0/1 label column in ${fileName}, but it has only ${table.header.join(', ')}.`);
  }
  const examples: RawExample[] = [];
  const missing: string[] = [];
  const exists = createFileExistence();
  table.records.forEach((record, k) => {
    const rel = record[pathColumn] ?? '';
    if (rel === '') throw new RadLocalError('DATASET_INVALID', `Expected a file path on line ${k + 2} of ${fileName}, but the ${pathColumn} cell is empty.`);
    const path = isAbsolute(rel) ? rel : join(dir, rel);
    const values = Int8Array.from(labels.map((label) => parseTriState(record[label] ?? '', label, fileName, k + 2)));
    if (!exists(path)) {
      missing.push(path);
      return;
    }
    const fromColumn = patientColumn ? record[patientColumn] : undefined;
    const patientId = fromColumn || (isDicomPath(path) ? dicomPatientId(path) : undefined) || basename(rel, extname(rel));
    const example: RawExample = { path, patientId, values };
    if (viewColumn) example.view = normaliseView(record[viewColumn]);
    examples.push(example);
  });
  return { layout: 'csv-manifest', labels, examples, missing, files: [fileName], ...(viewColumn ? { viewSource: `${viewColumn} column` } : {}) };
}
