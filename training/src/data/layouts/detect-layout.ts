/**
 * Recognises a dataset folder's layout from the files at its root, most specific first:
 * phantom labels.csv → NIH Data_Entry_2017.csv → RSNA stage_2_train_labels.csv → one CSV
 * manifest with a path column → class sub-folders.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { parseCsvRows } from '../../../../core/dataset/csv.ts';
import type { LayoutName, RawDataset } from '../dataset-types.ts';
import { findColumn, PATH_COLUMNS } from '../../../../core/dataset/label-manifest.ts';
import { readManifest } from './csv-manifest.ts';
import { classFolders, readFolderPerClass } from './folder-per-class.ts';
import { nihEntryFile, readNih } from './nih-chestxray14.ts';
import { looksLikePhantom, readPhantom } from './phantom-labels.ts';
import { readRsna, rsnaLabelFile } from './rsna-pneumonia.ts';

export interface DetectedLayout {
  layout: LayoutName;
  /** The label/manifest file, for CSV layouts. */
  file: string | undefined;
}

function manifestCandidates(dir: string, files: string[]): string[] {
  return files.filter((f) => {
    if (!f.toLowerCase().endsWith('.csv')) return false;
    const firstLine = readFileSync(join(dir, f), 'utf8').slice(0, 4096).split(/\r?\n/)[0] ?? '';
    const header = parseCsvRows(firstLine)[0] ?? [];
    return findColumn(header.map((h) => h.trim()), PATH_COLUMNS) !== undefined;
  });
}

export function detectLayout(dir: string): DetectedLayout {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new RadLocalError('DATASET_INVALID', `Expected a dataset folder at ${dir}, but there is no such folder.`);
  const files = readdirSync(dir).sort();
  if (looksLikePhantom(dir, files)) return { layout: 'phantom', file: 'labels.csv' };
  const nih = nihEntryFile(files);
  if (nih) return { layout: 'nih-chestxray14', file: nih };
  const rsna = rsnaLabelFile(files);
  if (rsna) return { layout: 'rsna-pneumonia', file: rsna };
  const manifests = manifestCandidates(dir, files);
  if (manifests.length === 1) return { layout: 'csv-manifest', file: manifests[0] };
  if (manifests.length > 1) {
    throw new RadLocalError('DATASET_INVALID', `Expected one CSV manifest in ${dir}, but found ${manifests.length}: ${manifests.join(', ')}. Pass the one to use.`);
  }
  if (classFolders(dir).length > 0) return { layout: 'folder-per-class', file: undefined };
  throw new RadLocalError(
    'DATASET_INVALID',
    `Expected a dataset layout in ${dir} (labels.csv, Data_Entry_2017.csv, stage_2_train_labels.csv, a CSV manifest with a path column, or one folder per class), but found none. See datasets/README.md.`,
  );
}

/** Reads the folder with its detected (or the given manifest) layout. */
export function readLayout(dir: string, options: { labels?: readonly string[]; manifest?: string } = {}): RawDataset {
  if (options.manifest) return readManifest(dir, options.manifest);
  const { layout, file } = detectLayout(dir);
  switch (layout) {
    case 'phantom':
      return readPhantom(dir);
    case 'nih-chestxray14':
      return readNih(dir, file as string, options.labels);
    case 'rsna-pneumonia':
      return readRsna(dir, file as string);
    case 'csv-manifest':
      return readManifest(dir, file as string);
    case 'folder-per-class':
      return readFolderPerClass(dir);
  }
}
