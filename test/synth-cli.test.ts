/** `radlocal synth` through the real CLI entry: contract output and usage errors. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';

const BIN = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const root = mkdtempSync(join(tmpdir(), 'radlocal-synth-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('radlocal synth (CLI)', () => {
  it('writes the dataset and prints a JSON summary', () => {
    const out = join(root, 'ds');
    const stdout = execFileSync(process.execPath, [BIN, 'synth', '--out', out, '--count', '3', '--seed', '9', '--size', '128', '--json'], { encoding: 'utf8' });
    const summary = JSON.parse(stdout.trim());
    expect(summary).toMatchObject({ images: 3, out });
    const lines = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^images\/PH000001_1\.dcm,PH000001,[01],[01],[01],[01]$/);
  });

  it('exits 2 with a usage message for missing or bad options', () => {
    const missing = spawnSync(process.execPath, [BIN, 'synth', '--count', '3', '--seed', '1'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('[CLI_USAGE] Expected --out DIR');
    const bad = spawnSync(process.execPath, [BIN, 'synth', '--out', join(root, 'x'), '--count', 'many', '--seed', '1'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Expected --count to be an integer ≥ 0, but got "many"');
  });
});
