/**
 * Recognises a dataset folder's layout from the files at its root. LAYOUTS is the one table
 * of layouts, most specific first: phantom labels.csv → NIH Data_Entry_2017.csv → CheXpert
 * train.csv/valid.csv → MIMIC-CXR-JPG label + metadata CSVs → PadChest CSV → RSNA
 * stage_2_train_labels.csv → one CSV manifest with a path column → class sub-folders.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRows } from '../../../../core/dataset/csv.ts';
import { findColumn, PATH_COLUMNS } from '../../../../core/dataset/label-manifest.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { LayoutName, RawDataset } from '../dataset-types.ts';
import { chexpertFiles, readChexpert } from './chexpert.ts';
import { readManifest } from './csv-manifest.ts';
import { classFolders, readFolderPerClass } from './folder-per-class.ts';
import { mimicFiles, readMimic } from './mimic-cxr-jpg.ts';
import { nihEntryFile, readNih } from './nih-chestxray14.ts';
import { padchestFile, readPadchest } from './padchest.ts';
import { looksLikePhantom, readPhantom } from './phantom-labels.ts';
import { readRsna, rsnaLabelFile } from './rsna-pneumonia.ts';

export interface DetectedLayout {
  layout: LayoutName;
  /** The label / manifest / metadata files, for CSV layouts (relative to the folder). */
  files: string[];
}

interface LayoutEntry {
  layout: LayoutName;
  /** The layout's files when `dir` (with root `files`) has this layout. */
  detect(dir: string, files: string[]): string[] | undefined;
  read(dir: string, files: string[]): RawDataset;
}

function manifestCandidates(dir: string, files: string[]): string[] {
  return files.filter((f) => {
    if (!f.toLowerCase().endsWith('.csv')) return false;
    const firstLine = readFileSync(join(dir, f), 'utf8').slice(0, 4096).split(/\r?\n/)[0] ?? '';
    const header = parseCsvRows(firstLine)[0] ?? [];
    return findColumn(header.map((h) => h.trim()), PATH_COLUMNS) !== undefined;
  });
}

const one = (file: string | undefined): string[] | undefined => (file ? [file] : undefined);

export const LAYOUTS: readonly LayoutEntry[] = [
  { layout: 'phantom', detect: (dir, files) => (looksLikePhantom(dir, files) ? ['labels.csv'] : undefined), read: (dir) => readPhantom(dir) },
  { layout: 'nih-chestxray14', detect: (_dir, files) => one(nihEntryFile(files)), read: (dir, [file]) => readNih(dir, file as string) },
  { layout: 'chexpert', detect: (dir, files) => { const found = chexpertFiles(dir, files); return found.length > 0 ? found : undefined; }, read: readChexpert },
  {
    layout: 'mimic-cxr-jpg',
    detect: (_dir, files) => { const f = mimicFiles(files); return f ? [f.labels, f.metadata, ...(f.split ? [f.split] : [])] : undefined; },
    read: (dir, [labels, metadata, split]) => readMimic(dir, { labels: labels as string, metadata: metadata as string, split }),
  },
  { layout: 'padchest', detect: (_dir, files) => one(padchestFile(files)), read: (dir, [file]) => readPadchest(dir, file as string) },
  { layout: 'rsna-pneumonia', detect: (_dir, files) => one(rsnaLabelFile(files)), read: (dir, [file]) => readRsna(dir, file as string) },
  {
    layout: 'csv-manifest',
    detect: (dir, files) => {
      const manifests = manifestCandidates(dir, files);
      if (manifests.length > 1) {
        throw new RadLocalError('DATASET_INVALID', `Expected one CSV manifest in ${dir}, but found ${manifests.length}: ${manifests.join(', ')}. Pass the one to use.`);
      }
      return manifests.length === 1 ? manifests : undefined;
    },
    read: (dir, [file]) => readManifest(dir, file as string),
  },
  { layout: 'folder-per-class', detect: (dir) => (classFolders(dir).length > 0 ? [] : undefined), read: (dir) => readFolderPerClass(dir) },
];

export function detectLayout(dir: string): DetectedLayout {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new RadLocalError('DATASET_INVALID', `Expected a dataset folder at ${dir}, but there is no such folder.`);
  const files = readdirSync(dir).sort();
  for (const entry of LAYOUTS) {
    const found = entry.detect(dir, files);
    if (found) return { layout: entry.layout, files: found };
  }
  throw new RadLocalError(
    'DATASET_INVALID',
    `Expected a dataset layout in ${dir} (labels.csv, Data_Entry_2017.csv, CheXpert train.csv, MIMIC-CXR-JPG mimic-cxr-2.0.0-*.csv.gz, a PadChest CSV, stage_2_train_labels.csv, a CSV manifest with a path column, or one folder per class), but found none. See datasets/README.md.`,
  );
}

/** Reads the folder with its detected (or the given manifest) layout. */
export function readLayout(dir: string, options: { manifest?: string } = {}): RawDataset {
  if (options.manifest) return readManifest(dir, options.manifest);
  const { layout, files } = detectLayout(dir);
  const entry = LAYOUTS.find((e) => e.layout === layout) as LayoutEntry;
  return entry.read(dir, files);
}
