/**
 * RSNA Pneumonia Detection Challenge layout: `stage_2_train_labels.csv` (or stage_1) with
 * columns patientId,x,y,width,height,Target — one row per box, several rows per patient —
 * and DICOMs named `<patientId>.dcm` anywhere below the folder (usually
 * `stage_2_train_images/`). One label, `pneumonia` = max(Target) over the patient's rows.
 */
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { readCsvTable } from '../csv-source.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { indexImageFiles } from '../file-index.ts';
import { parseBinary } from '../../../../core/dataset/label-values.ts';

export const RSNA_LABEL_FILES = ['stage_2_train_labels.csv', 'stage_1_train_labels.csv'];

export function rsnaLabelFile(files: string[]): string | undefined {
  return RSNA_LABEL_FILES.find((f) => files.includes(f));
}

export function readRsna(dir: string, fileName: string): RawDataset {
  const table = readCsvTable(dir, fileName);
  for (const column of ['patientId', 'Target']) {
    if (!table.header.includes(column)) {
      throw new RadLocalError('DATASET_INVALID', `Expected a ${column} column in ${fileName} (RSNA layout), but its columns are: ${table.header.join(', ')}.`);
    }
  }
  const target = new Map<string, 0 | 1>();
  table.records.forEach((record, k) => {
    const id = record.patientId ?? '';
    const t = parseBinary(record.Target ?? '', 'Target', fileName, k + 2);
    target.set(id, (Math.max(target.get(id) ?? 0, t) as 0 | 1));
  });
  const index = indexImageFiles(dir);
  const examples: RawExample[] = [];
  const missing: string[] = [];
  for (const [patientId, t] of target) {
    const path = index.byStem.get(patientId);
    if (path) examples.push({ path, patientId, values: Int8Array.of(t) });
    else missing.push(join(dir, 'stage_2_train_images', `${patientId}.dcm`));
  }
  return { layout: 'rsna-pneumonia', labels: ['pneumonia'], examples, missing, files: [fileName] };
}
