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
import { labelManifestRows } from '../../../../core/dataset/label-manifest.ts';
import { readCsvTable } from '../csv-source.ts';
import { createFileExistence } from '../file-index.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { dicomPatientId, isDicomPath } from '../dicom-patient-id.ts';
import { parseTriState } from '../label-cells.ts';
import { normaliseView } from '../views.ts';

export const VIEW_COLUMNS = ['view', 'view_position', 'viewposition', 'projection'];

export function readManifest(dir: string, fileName: string): RawDataset {
  const manifest = labelManifestRows(readCsvTable(dir, fileName), fileName, { parseCell: parseTriState, viewColumns: VIEW_COLUMNS });
  const examples: RawExample[] = [];
  const missing: string[] = [];
  const exists = createFileExistence();
  for (const row of manifest.rows) {
    const path = isAbsolute(row.path) ? row.path : join(dir, row.path);
    if (!exists(path)) {
      missing.push(path);
      continue;
    }
    const patientId = row.patientId || (isDicomPath(path) ? dicomPatientId(path) : undefined) || basename(row.path, extname(row.path));
    const example: RawExample = { path, patientId, values: row.values };
    if (manifest.viewColumn) example.view = normaliseView(row.view);
    examples.push(example);
  }
  return { layout: 'csv-manifest', labels: manifest.labels, examples, missing, files: [fileName], ...(manifest.viewColumn ? { viewSource: `${manifest.viewColumn} column` } : {}) };
}
