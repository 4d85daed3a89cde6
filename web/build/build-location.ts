/**
 * Where the production build goes and which loopback port serves it. Defaults: `dist/web` and
 * 4173 (`npm start`). RADLOCAL_BUILD_DIR and RADLOCAL_PORT override both, so two builds (say a
 * benchmark and a test run) can live side by side without writing over each other.
 */
import { resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** Absolute path of the production build folder. */
export const BUILD_DIR = resolve(REPO_ROOT, process.env.RADLOCAL_BUILD_DIR ?? 'dist/web');

/** The loopback port `vite preview` (and the e2e suite) uses. */
export const PREVIEW_PORT = Number(process.env.RADLOCAL_PORT ?? 4173);
