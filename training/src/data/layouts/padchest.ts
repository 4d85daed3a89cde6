/**
 * PadChest layout (Bustos et al. 2020), as distributed by BIMCV:
 * `PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv` (or `.csv.gz`) with, among others,
 * ImageID, ImageDir, StudyID, PatientID, ViewPosition_DICOM, Projection (PA, AP,
 * AP_horizontal, L, COSTAL, …) and Labels — the report's findings as a Python-style list,
 * e.g. "['pleural effusion', 'nodule']" or "['normal']". The 16-bit PNGs sit in one folder
 * per ImageDir (`0/`, `1/`, … as the zip parts unpack) or all together. Rows without labels
 * and rows labelled "exclude" are left out; the view is the Projection column.
 */
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { readCsvTable } from '../csv-source.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { createFileExistence, indexImageFiles, type FileIndex } from '../file-index.ts';
import { normaliseView } from '../views.ts';

export function padchestFile(files: string[]): string | undefined {
  return files.find((f) => /^padchest.*\.csv(\.gz)?$/i.test(f));
}

/** "['pleural effusion', ' nodule']" → ['pleural effusion', 'nodule']; undefined when the cell is not a list. */
export function parsePadchestLabels(cell: string): string[] | undefined {
  const text = cell.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  const out: string[] = [];
  for (const match of text.slice(1, -1).matchAll(/'([^']*)'|"([^"]*)"/g)) {
    const label = (match[1] ?? match[2] ?? '').trim();
    if (label !== '') out.push(label);
  }
  return out;
}

export function readPadchest(dir: string, fileName: string): RawDataset {
  const table = readCsvTable(dir, fileName);
  const absent = ['ImageID', 'PatientID', 'Projection', 'Labels'].filter((c) => !table.header.includes(c));
  if (absent.length > 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected ImageID, ImageDir, PatientID, Projection and Labels columns in ${fileName} (PadChest layout), but ${absent.join(', ')} missing.`);
  }
  const rows: { path: string; patientId: string; labels: string[]; view: string }[] = [];
  const excluded: Record<string, number> = {};
  const missing: string[] = [];
  let index: FileIndex | undefined;
  const exists = createFileExistence();
  const locate = (imageDir: string, imageId: string): string | undefined => {
    for (const candidate of [join(dir, imageDir, imageId), join(dir, imageId)]) if (exists(candidate)) return candidate;
    index ??= indexImageFiles(dir);
    return index.byName.get(imageId);
  };
  table.records.forEach((record, k) => {
    const labels = parsePadchestLabels(record.Labels ?? '');
    if (labels === undefined) {
      if ((record.Labels ?? '').trim() === '' || (record.Labels ?? '').trim().toLowerCase() === 'nan') {
        excluded['no labels'] = (excluded['no labels'] ?? 0) + 1;
        return;
      }
      throw new RadLocalError('DATASET_INVALID', `Expected a list such as ['pleural effusion', 'nodule'] in the Labels column on line ${k + 2} of ${fileName}, but got "${record.Labels}".`);
    }
    if (labels.includes('exclude')) {
      excluded['labelled exclude'] = (excluded['labelled exclude'] ?? 0) + 1;
      return;
    }
    const imageId = record.ImageID ?? '';
    const imageDir = record.ImageDir ?? '';
    const path = locate(imageDir, imageId);
    if (!path) {
      missing.push(join(dir, imageDir, imageId));
      return;
    }
    rows.push({ path, patientId: record.PatientID || imageId, labels, view: normaliseView(record.Projection) });
  });
  const names = [...new Set(rows.flatMap((r) => r.labels))].sort();
  const column = new Map(names.map((n, j) => [n, j]));
  const examples: RawExample[] = rows.map((r) => {
    const values = new Int8Array(names.length);
    for (const l of r.labels) values[column.get(l) as number] = 1;
    return { path: r.path, patientId: r.patientId, values, view: r.view };
  });
  return { layout: 'padchest', labels: names, examples, missing, files: [fileName], viewSource: 'Projection column', excluded };
}
