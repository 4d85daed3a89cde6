/**
 * Reads a dataset's CSV files as distributed: plain `.csv` or gzip-compressed `.csv.gz`
 * (MIMIC-CXR-JPG ships its label, metadata and split files gzipped).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseCsv, type CsvTable } from '../../../core/dataset/csv.ts';

/** The first of `names` (each tried as given and with `.gz`) among a folder's `files`. */
export function findCsv(files: readonly string[], names: readonly string[]): string | undefined {
  for (const name of names) {
    if (files.includes(name)) return name;
    if (files.includes(`${name}.gz`)) return `${name}.gz`;
  }
  return undefined;
}

export function readCsvText(dir: string, fileName: string): string {
  const bytes = readFileSync(join(dir, fileName));
  return (fileName.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function readCsvTable(dir: string, fileName: string): CsvTable {
  return parseCsv(readCsvText(dir, fileName), fileName);
}

