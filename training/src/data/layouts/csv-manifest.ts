/**
 * CSV manifest layout: one CSV at the folder root with a path column (`path`, `file`,
 * `filename` or `image`, relative to the folder or absolute), an optional patient column
 * (`patient_id`, `patientId`, `patient`; without it the DICOM PatientID, else the file stem)
 * and one 0/1 column per label. Every other column
 * must be a label column: a column with other values is a DATASET_INVALID error naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { parseCsv } from '../csv.ts';
import type { ExampleRef, RawDataset } from '../dataset-types.ts';
import { dicomPatientId, isDicomPath } from '../dicom-patient-id.ts';
import { parseBinary } from './label-values.ts';

export const PATH_COLUMNS = ['path', 'file', 'filename', 'image', 'image_path'];
export const PATIENT_COLUMNS = ['patient_id', 'patientid', 'patient'];

export function findColumn(header: string[], candidates: string[]): string | undefined {
  return header.find((h) => candidates.includes(h.toLowerCase()));
}

export function readManifest(dir: string, fileName: string): RawDataset {
  const table = parseCsv(readFileSync(join(dir, fileName), 'utf8'), fileName);
  const pathColumn = findColumn(table.header, PATH_COLUMNS);
  if (!pathColumn) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected a path column (${PATH_COLUMNS.join(', ')}) in ${fileName}, but its columns are: ${table.header.join(', ')}.`,
    );
  }
  const patientColumn = findColumn(table.header, PATIENT_COLUMNS);
  const labels = table.header.filter((h) => h !== pathColumn && h !== patientColumn);
  if (labels.length === 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected at least one 0/1 label column in ${fileName}, but it has only ${table.header.join(', ')}.`);
  }
  const examples: ExampleRef[] = [];
  const missing: string[] = [];
  table.records.forEach((record, k) => {
    const rel = record[pathColumn] ?? '';
    if (rel === '') throw new RadLocalError('DATASET_INVALID', `Expected a file path on line ${k + 2} of ${fileName}, but the ${pathColumn} cell is empty.`);
    const path = isAbsolute(rel) ? rel : join(dir, rel);
    const values = Uint8Array.from(labels.map((label) => parseBinary(record[label] ?? '', label, fileName, k + 2)));
    const stem = basename(rel, extname(rel));
    if (!existsSync(path)) {
      missing.push(path);
      return;
    }
    const fromColumn = patientColumn ? record[patientColumn] : undefined;
    const patientId = fromColumn || (isDicomPath(path) ? dicomPatientId(path) : undefined) || stem;
    examples.push({ path, patientId, labels: values });
  });
  return { layout: 'csv-manifest', labels, examples, missing };
}
