/**
 * CheXpert layout (Irvin et al. 2019), as unzipped: `CheXpert-v1.0-small/` (or
 * `CheXpert-v1.0/`) holding `train.csv`, `valid.csv`, `train/patient00001/study1/view1_frontal.jpg`…
 * The CSVs have columns Path, Sex, Age, Frontal/Lateral, AP/PA and the 14 observations
 * (No Finding, Enlarged Cardiomediastinum, Cardiomegaly, Lung Opacity, Lung Lesion, Edema,
 * Consolidation, Pneumonia, Atelectasis, Pneumothorax, Pleural Effusion, Pleural Other,
 * Fracture, Support Devices) with 1.0 positive, 0.0 negative, −1.0 uncertain, blank not
 * mentioned. Path starts with the distribution folder's name
 * (`CheXpert-v1.0-small/train/patient00001/…`); the patient is the `patientNNNNN` folder.
 * View: Lateral, or the AP/PA column for Frontal images. `valid.csv` (radiologist consensus
 * labels) becomes the test split; `train.csv` is split into train and validation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCsvRows } from '../../../../core/dataset/csv.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { readCsvTable } from '../csv-source.ts';
import { createFileExistence } from '../file-index.ts';
import type { RawDataset, RawExample, SplitName } from '../dataset-types.ts';
import { parseTriState } from '../label-cells.ts';
import { normaliseView } from '../views.ts';

export const CHEXPERT_FILES: readonly { file: string; split?: SplitName }[] = [{ file: 'train.csv' }, { file: 'valid.csv', split: 'test' }];
const META_COLUMNS = ['Path', 'Sex', 'Age', 'Frontal/Lateral', 'AP/PA'];

function header(dir: string, file: string): string[] {
  const firstLine = readFileSync(join(dir, file), 'utf8').slice(0, 4096).split(/\r?\n/)[0] ?? '';
  return (parseCsvRows(firstLine)[0] ?? []).map((h) => h.trim());
}

/** The CheXpert CSVs present in `dir` (train.csv / valid.csv with Path and Frontal/Lateral columns). */
export function chexpertFiles(dir: string, files: string[]): string[] {
  return CHEXPERT_FILES.map((f) => f.file).filter((f) => files.includes(f) && ['Path', 'Frontal/Lateral'].every((c) => header(dir, f).includes(c)));
}

/**
 * `CheXpert-v1.0-small/train/…` → the file under `dir`, whatever the folder is called now
 * (`exists` answers for the first path segment, once per distinct segment).
 */
export function chexpertImagePath(dir: string, rel: string, exists: (path: string) => boolean = existsSync): string {
  const slash = rel.indexOf('/');
  const first = slash < 0 ? '' : rel.slice(0, slash);
  if (first !== '' && (first === basename(dir) || /^CheXpert-v1\.0/i.test(first)) && !exists(join(dir, first))) return join(dir, rel.slice(slash + 1));
  return join(dir, rel);
}

export function readChexpert(dir: string, files: string[]): RawDataset {
  let labels: string[] | undefined;
  const examples: RawExample[] = [];
  const missing: string[] = [];
  const exists = createFileExistence();
  for (const file of files) {
    const split = CHEXPERT_FILES.find((f) => f.file === file)?.split;
    const table = readCsvTable(dir, file);
    const here = table.header.filter((h) => !META_COLUMNS.includes(h));
    if (!labels) labels = here;
    else if (here.join('\u0000') !== labels.join('\u0000')) {
      throw new RadLocalError('DATASET_INVALID', `Expected ${file} to have the same observation columns as ${files[0]} (${labels.join(', ')}), but it has ${here.join(', ')}.`);
    }
    const columns = labels;
    table.records.forEach((record, k) => {
      const rel = record.Path ?? '';
      if (rel === '') throw new RadLocalError('DATASET_INVALID', `Expected a Path on line ${k + 2} of ${file}, but it is empty.`);
      const path = chexpertImagePath(dir, rel, exists);
      if (!exists(path)) {
        missing.push(path);
        return;
      }
      const values = Int8Array.from(columns.map((c) => parseTriState(record[c] ?? '', c, file, k + 2)));
      const frontal = (record['Frontal/Lateral'] ?? '').trim().toLowerCase();
      const view = frontal === 'lateral' ? 'LATERAL' : frontal === 'frontal' ? normaliseView(record['AP/PA']) || 'FRONTAL' : normaliseView(record['Frontal/Lateral']);
      const patientId = /patient\d+/.exec(rel)?.[0] ?? rel;
      examples.push({ path, patientId, values, view, ...(split ? { split } : {}) });
    });
  }
  return {
    layout: 'chexpert',
    labels: labels ?? [],
    examples,
    missing,
    files,
    viewSource: 'Frontal/Lateral and AP/PA columns',
    ...(files.includes('valid.csv') ? { splitSource: 'valid.csv is the test split' } : {}),
  };
}
