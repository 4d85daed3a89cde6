/**
 * NIH ChestX-ray14 layout: `Data_Entry_2017.csv` (or `Data_Entry_2017_v2020.csv`) with
 * columns "Image Index", "Finding Labels" (pipe-separated, "No Finding" for none),
 * "Patient ID" and "View Position" (PA / AP); PNGs anywhere below the folder (`images/` or
 * `images_001/images/`…). The 14 findings are the dataset's labels; label-map.ts maps them
 * onto the model's (Effusion → pleural_effusion, Mass and Nodule → nodule, …).
 */
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { readCsvTable } from '../csv-source.ts';
import type { RawDataset, RawExample } from '../dataset-types.ts';
import { indexImageFiles } from '../file-index.ts';
import { normaliseView } from '../views.ts';

export const NIH_ENTRY_FILES = ['Data_Entry_2017.csv', 'Data_Entry_2017_v2020.csv'];

export const NIH_FINDINGS = [
  'Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Effusion', 'Emphysema', 'Fibrosis',
  'Hernia', 'Infiltration', 'Mass', 'Nodule', 'Pleural_Thickening', 'Pneumonia', 'Pneumothorax',
] as const;

export function nihEntryFile(files: string[]): string | undefined {
  return NIH_ENTRY_FILES.find((f) => files.includes(f));
}

export function readNih(dir: string, fileName: string): RawDataset {
  const table = readCsvTable(dir, fileName);
  for (const column of ['Image Index', 'Finding Labels', 'Patient ID']) {
    if (!table.header.includes(column)) {
      throw new RadLocalError('DATASET_INVALID', `Expected a "${column}" column in ${fileName} (NIH ChestX-ray14 layout), but its columns are: ${table.header.join(', ')}.`);
    }
  }
  const labels: string[] = [...NIH_FINDINGS];
  const hasView = table.header.includes('View Position');
  const index = indexImageFiles(dir);
  const examples: RawExample[] = [];
  const missing: string[] = [];
  table.records.forEach((record, k) => {
    const name = record['Image Index'] ?? '';
    const findings = (record['Finding Labels'] ?? '').split('|').map((f) => f.trim()).filter((f) => f !== '' && f !== 'No Finding');
    const values = new Int8Array(labels.length);
    for (const f of findings) {
      const j = labels.indexOf(f);
      if (j < 0) throw new RadLocalError('DATASET_INVALID', `Expected NIH findings (${NIH_FINDINGS.join(', ')} or No Finding) on line ${k + 2} of ${fileName}, but got "${f}".`);
      values[j] = 1;
    }
    const path = index.byName.get(name);
    if (!path) {
      missing.push(join(dir, 'images', name));
      return;
    }
    const example: RawExample = { path, patientId: record['Patient ID'] ?? name, values };
    if (hasView) example.view = normaliseView(record['View Position']);
    examples.push(example);
  });
  return { layout: 'nih-chestxray14', labels, examples, missing, files: [fileName], ...(hasView ? { viewSource: 'View Position column' } : {}) };
}
