/**
 * NIH ChestX-ray14 layout: `Data_Entry_2017.csv` (or `Data_Entry_2017_v2020.csv`) with
 * columns "Image Index", "Finding Labels" (pipe-separated, "No Finding" for none) and
 * "Patient ID"; PNGs anywhere below the folder (`images/` or `images_001/images/`…).
 * Findings are mapped onto the model's labels: Cardiomegaly → cardiomegaly, Effusion →
 * pleural_effusion, Pneumothorax → pneumothorax, Nodule and Mass → nodule; any other
 * finding maps to its lower-case name (Pleural_Thickening → pleural_thickening).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { parseCsv } from '../csv.ts';
import { DEFAULT_LABELS, type ExampleRef, type RawDataset } from '../dataset-types.ts';
import { indexImageFiles } from '../file-index.ts';

export const NIH_ENTRY_FILES = ['Data_Entry_2017.csv', 'Data_Entry_2017_v2020.csv'];

export const NIH_FINDINGS = [
  'Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Effusion', 'Emphysema', 'Fibrosis',
  'Hernia', 'Infiltration', 'Mass', 'Nodule', 'Pleural_Thickening', 'Pneumonia', 'Pneumothorax',
] as const;

const SPECIAL: Record<string, string> = {
  Cardiomegaly: 'cardiomegaly',
  Effusion: 'pleural_effusion',
  Pneumothorax: 'pneumothorax',
  Nodule: 'nodule',
  Mass: 'nodule',
};

/** Model label an NIH finding maps onto. */
export function nihFindingToLabel(finding: string): string {
  return SPECIAL[finding] ?? finding.toLowerCase();
}

export function nihEntryFile(files: string[]): string | undefined {
  return NIH_ENTRY_FILES.find((f) => files.includes(f));
}

export function readNih(dir: string, fileName: string, labels: readonly string[] = DEFAULT_LABELS): RawDataset {
  const table = parseCsv(readFileSync(join(dir, fileName), 'utf8'), fileName);
  for (const column of ['Image Index', 'Finding Labels', 'Patient ID']) {
    if (!table.header.includes(column)) {
      throw new RadLocalError('DATASET_INVALID', `Expected a "${column}" column in ${fileName} (NIH ChestX-ray14 layout), but its columns are: ${table.header.join(', ')}.`);
    }
  }
  const producible = new Set(NIH_FINDINGS.map(nihFindingToLabel));
  const unknown = labels.filter((l) => !producible.has(l));
  if (unknown.length > 0) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected model labels that NIH ChestX-ray14 findings map onto (${[...producible].join(', ')}), but the model has: ${unknown.join(', ')}.`,
    );
  }
  const index = indexImageFiles(dir);
  const examples: ExampleRef[] = [];
  const missing: string[] = [];
  table.records.forEach((record, k) => {
    const name = record['Image Index'] ?? '';
    const findings = (record['Finding Labels'] ?? '').split('|').map((f) => f.trim()).filter((f) => f !== '' && f !== 'No Finding');
    for (const f of findings) {
      if (!(NIH_FINDINGS as readonly string[]).includes(f)) {
        throw new RadLocalError('DATASET_INVALID', `Expected NIH findings (${NIH_FINDINGS.join(', ')} or No Finding) on line ${k + 2} of ${fileName}, but got "${f}".`);
      }
    }
    const mapped = new Set(findings.map(nihFindingToLabel));
    const values = Uint8Array.from(labels.map((l) => (mapped.has(l) ? 1 : 0)));
    const path = index.byName.get(name);
    if (path) examples.push({ path, patientId: record['Patient ID'] ?? name, labels: values });
    else missing.push(join(dir, 'images', name));
  });
  return { layout: 'nih-chestxray14', labels: [...labels], examples, missing };
}
