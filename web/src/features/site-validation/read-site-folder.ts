/**
 * A site's folder as the user opens it in the browser (a directory pick or a set of files):
 * the labels CSV — the phantom layout's labels.csv or any CSV manifest `radlocal train`
 * reads, parsed by the same core/dataset code — and, per row, the image File it names.
 */
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { parseLabelManifest } from '../../../../core/dataset/label-manifest.ts';

export interface SiteImage {
  /** The manifest's path, '/'-separated (the case key, as the CLI names it). */
  key: string;
  patientId: string;
  file: File;
  /** 0/1 per model label, in model label order. */
  truth: Uint8Array;
}

export interface SiteFolder {
  manifestName: string;
  images: SiteImage[];
  /** Manifest rows whose file was not among the files opened. */
  missing: string[];
}

/** The path of a picked file inside the picked folder ("site/images/a.dcm" → "images/a.dcm"). */
function pathInFolder(file: File): string {
  const relative = file.webkitRelativePath;
  return relative ? relative.split('/').slice(1).join('/') : file.name;
}

/** The labels CSV: labels.csv at the top of the folder, else the only CSV at the top. */
function findManifest(files: readonly File[]): File {
  const top = files.filter((f) => !pathInFolder(f).includes('/') && f.name.toLowerCase().endsWith('.csv'));
  const chosen = top.find((f) => f.name === 'labels.csv') ?? (top.length === 1 ? top[0] : undefined);
  if (!chosen) {
    throw new RadLocalError(
      'DATASET_INVALID',
      top.length === 0
        ? 'Expected a labels CSV (labels.csv, or one CSV manifest) at the top of the folder, but there is none.'
        : `Expected one labels CSV at the top of the folder, but found ${top.length} (${top.map((f) => f.name).join(', ')}): name the one to use labels.csv.`,
    );
  }
  return chosen;
}

/**
 * @param labels the model's findings: each must be a column of the manifest.
 * @throws RadLocalError DATASET_INVALID (no manifest, a finding without a column, bad cells).
 */
export async function readSiteFolder(files: readonly File[], labels: readonly string[]): Promise<SiteFolder> {
  const manifestFile = findManifest(files);
  const manifest = parseLabelManifest(await manifestFile.text(), manifestFile.name);
  const columns = labels.map((label) => manifest.labels.indexOf(label));
  const absent = labels.filter((_, j) => (columns[j] as number) < 0);
  if (absent.length > 0) {
    throw new RadLocalError('DATASET_INVALID', `Expected a column for every finding of the model in ${manifestFile.name}, but ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing (columns: ${manifest.labels.join(', ')}).`);
  }
  const byPath = new Map(files.map((f) => [pathInFolder(f), f]));
  const images: SiteImage[] = [];
  const missing: string[] = [];
  for (const row of manifest.rows) {
    const key = row.path.replace(/\\/g, '/').replace(/^\.\//, '');
    const file = byPath.get(key);
    if (!file) {
      missing.push(row.path);
      continue;
    }
    const stem = key.split('/').pop()?.replace(/\.[^.]*$/, '') ?? key;
    images.push({ key, patientId: row.patientId ?? stem, file, truth: Uint8Array.from(columns, (c) => row.values[c] as number) });
  }
  return { manifestName: manifestFile.name, images, missing };
}
