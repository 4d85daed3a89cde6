/**
 * Builds the service worker's precache manifest from a finished build folder: every file the
 * app serves (shell, JS, CSS, WASM, model files), and a version hash over their paths and bytes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const SERVICE_WORKER_FILE = 'sw.js';
export const MANIFEST_FILE = 'precache-manifest.json';

export interface PrecacheManifest {
  /** First 16 hex digits of sha256 over every listed file's path and bytes. */
  version: string;
  /** Paths relative to the build folder (= the service worker scope), "/"-separated, sorted. */
  files: string[];
}

/** Files that are never precached: the worker itself and Vite's build metadata. */
function isExcluded(path: string): boolean {
  return path === SERVICE_WORKER_FILE || path.startsWith('.vite/') || path.endsWith('.map');
}

function listFiles(dir: string, root: string = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, root));
    else out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/**
 * @param outDir the build folder, e.g. dist/web
 * @return the manifest; MANIFEST_FILE itself is listed (it is served and cached like the rest)
 *   but not hashed, since its content follows from the other files.
 */
export function createPrecacheManifest(outDir: string): PrecacheManifest {
  const files = listFiles(outDir)
    .filter((path) => !isExcluded(path) && path !== MANIFEST_FILE)
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update('\0');
    hash.update(readFileSync(join(outDir, file)));
    hash.update('\0');
  }
  return { version: hash.digest('hex').slice(0, 16), files: [...files, MANIFEST_FILE].sort() };
}
