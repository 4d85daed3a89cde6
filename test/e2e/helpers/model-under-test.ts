/**
 * The model and inputs the inference e2e tests use: the default model (models/chest-phantom,
 * served by the build as ./models/chest-phantom/) and phantom DICOMs made by
 * `radlocal synth`. RADLOCAL_E2E_MODEL_DIR / RADLOCAL_E2E_INPUTS (comma-separated paths)
 * override them, e.g. to try a freshly trained model.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../../fixtures/external-fixtures.ts';
import { BUILD_DIR } from '../../../web/build/build-location.ts';

export const MODEL_DIR = process.env.RADLOCAL_E2E_MODEL_DIR ?? join(REPO_ROOT, 'models', 'chest-phantom');
/** The model folder's name, as the page's `#model=` parameter. */
export const MODEL_NAME = basename(MODEL_DIR);

export function modelAvailable(): boolean {
  return existsSync(join(MODEL_DIR, 'model-card.json')) && existsSync(join(BUILD_DIR, 'models', MODEL_NAME, 'model-card.json'));
}

let phantoms: string[] | undefined;

/** Phantom DICOM files (synth --count 4 --seed 7), generated once per test run. */
export function phantomFiles(): string[] {
  if (process.env.RADLOCAL_E2E_INPUTS) return process.env.RADLOCAL_E2E_INPUTS.split(',');
  if (phantoms) return phantoms;
  const dir = mkdtempSync(join(tmpdir(), 'radlocal-e2e-phantoms-'));
  execFileSync('node', [join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs'), 'synth', '--out', dir, '--count', '4', '--seed', '7'], { stdio: 'pipe' });
  const rows = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  phantoms = rows.map((row) => join(dir, row.split(',')[0] as string));
  return phantoms;
}

export interface CliPrediction {
  file: string;
  ok: boolean;
  scores: Record<string, number>;
  positives: string[];
  ood: { distance: number; flagged: boolean; reasons: string[] };
  modelSha256: string;
}

/** `radlocal predict --model MODEL_DIR FILE… --json`, parsed. */
export function predictWithCli(files: string[]): CliPrediction[] {
  const out = execFileSync('node', [join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs'), 'predict', '--model', MODEL_DIR, ...files, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CliPrediction);
}
