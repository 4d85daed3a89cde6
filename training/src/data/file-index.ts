/**
 * Walks a dataset folder once and indexes image files by base name and by stem, so layouts
 * that name images without their folder (NIH, RSNA) can find them.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.dcm', '.dicom', '.png', '.jpg', '.jpeg']);

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

export interface FileIndex {
  byName: Map<string, string>;
  byStem: Map<string, string>;
}

/** Recursively lists image files under `dir` (depth ≤ maxDepth), skipping dot-folders. */
export function listImageFiles(dir: string, maxDepth = 4): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth) walk(path, depth + 1);
      } else if (isImageFile(entry.name)) out.push(path);
    }
  };
  walk(dir, 0);
  return out.sort();
}

export function indexImageFiles(dir: string): FileIndex {
  const byName = new Map<string, string>();
  const byStem = new Map<string, string>();
  for (const path of listImageFiles(dir)) {
    const name = basename(path);
    if (!byName.has(name)) byName.set(name, path);
    const stem = name.slice(0, name.length - extname(name).length);
    if (!byStem.has(stem)) byStem.set(stem, path);
  }
  return { byName, byStem };
}

/**
 * `existsSync` for many files: each folder is listed once and looked up in memory (a
 * 100,000-row manifest over one folder costs one `readdir` instead of 100,000 `stat`s).
 */
export function createFileExistence(): (path: string) => boolean {
  const listings = new Map<string, Set<string>>();
  return (path) => {
    const dir = dirname(path);
    let names = listings.get(dir);
    if (!names) {
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = new Set();
      }
      listings.set(dir, names);
    }
    return names.has(basename(path));
  };
}
