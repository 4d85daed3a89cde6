/**
 * A tiny CSV-manifest dataset for training-pipeline tests: one 32² 8-bit PNG per patient
 * (`<p>.png`, patient `P<p>`) and `manifest.csv` with one 0/1 column per label.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { png8Bytes } from '../fixtures/public-datasets.ts';

/**
 * @param labels column name → whether patient p is positive.
 * @return `dir`.
 */
export function writePngManifest(dir: string, patients: number, labels: Record<string, (p: number) => boolean>): string {
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(labels);
  const lines = [['path', 'patient_id', ...names].join(',')];
  for (let p = 0; p < patients; p++) {
    writeFileSync(join(dir, `${p}.png`), png8Bytes(p + 1, 32));
    lines.push([`${p}.png`, `P${p}`, ...names.map((name) => (labels[name]!(p) ? 1 : 0))].join(','));
  }
  writeFileSync(join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
  return dir;
}
