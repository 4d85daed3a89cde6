/**
 * Folder-per-class layout: each sub-folder of the dataset folder is a label and holds that
 * label's images (searched recursively); a folder named normal / no_finding / negative holds
 * images with no finding (all labels 0). An image in several class folders (same relative
 * name) is not merged: one folder, one example. Patient = the DICOM PatientID when the file
 * has one, else the file stem (the layout itself names no patient).
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { dicomPatientId, isDicomPath } from '../dicom-patient-id.ts';
import { listImageFiles } from '../file-index.ts';

export const NORMAL_FOLDERS = ['normal', 'no_finding', 'no finding', 'negative', 'healthy'];

export function classFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

export function readFolderPerClass(dir: string): RawDataset {
  const folders = classFolders(dir);
  const labels = folders.filter((f) => !NORMAL_FOLDERS.includes(f.toLowerCase()));
  if (labels.length === 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected at least one class folder besides normal in ${dir}, but found: ${folders.join(', ') || 'none'}.`);
  }
  const examples: RawExample[] = [];
  for (const folder of folders) {
    const files = listImageFiles(join(dir, folder));
    if (files.length === 0) {
      throw new RadLocalError('DATASET_INVALID', `Expected images (.dcm, .png, .jpg) in class folder "${folder}", but it is empty.`);
    }
    const k = labels.indexOf(folder);
    for (const path of files) {
      const values = new Int8Array(labels.length);
      if (k >= 0) values[k] = 1;
      const fromHeader = isDicomPath(path) ? dicomPatientId(path) : undefined;
      examples.push({ path, patientId: fromHeader ?? basename(path, extname(path)), values });
    }
  }
  return { layout: 'folder-per-class', labels, examples, missing: [], files: [] };
}
