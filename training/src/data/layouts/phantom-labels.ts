/**
 * The phantom generator's layout (`radlocal synth`): `labels.csv` with columns
 * `file,patient_id,<label…>` (0/1), `file` relative to the folder. Also any CSV manifest
 * with a `patient_id` column is read the same way by csv-manifest.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawDataset } from '../dataset-types.ts';
import { readManifest } from './csv-manifest.ts';

export const PHANTOM_LABELS_FILE = 'labels.csv';

/** True when `labels.csv` starts with the phantom header `file,patient_id,`. */
export function looksLikePhantom(dir: string, files: string[]): boolean {
  if (!files.includes(PHANTOM_LABELS_FILE)) return false;
  const head = readFileSync(join(dir, PHANTOM_LABELS_FILE), 'utf8').slice(0, 200).replace(/^\uFEFF/, '');
  return /^file,patient_id,/.test(head);
}

export function readPhantom(dir: string): RawDataset {
  return { ...readManifest(dir, PHANTOM_LABELS_FILE), layout: 'phantom' };
}
