/**
 * Synthetic other sites (`radlocal synth --site NAME` and the shift flags): asking for no
 * shift gives byte-identical output to the plain command; a shift changes the pixels but
 * not the anatomy, the labels or the DICOM window tags; a preset brings its prevalences.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_SHIFT } from '../training/src/synth/acquisition.ts';
import { DEFAULT_PREVALENCE } from '../training/src/synth/findings.ts';
import { generatePhantom, planPatients } from '../training/src/synth/generate-phantom.ts';
import { SITE_PRESETS } from '../training/src/synth/site-presets.ts';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';

const BIN = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const root = mkdtempSync(join(tmpdir(), 'radlocal-synth-site-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function synth(out: string, extra: string[]): void {
  execFileSync(process.execPath, [BIN, 'synth', '--out', join(root, out), '--count', '6', '--seed', '21', '--size', '96', '--json', ...extra], { encoding: 'utf8' });
}

function files(out: string): Map<string, Buffer> {
  const dir = join(root, out);
  const map = new Map<string, Buffer>([['labels.csv', readFileSync(join(dir, 'labels.csv'))]]);
  for (const name of readdirSync(join(dir, 'images'))) map.set(name, readFileSync(join(dir, 'images', name)));
  return map;
}

describe('radlocal synth site shifts', () => {
  it('an explicit identity shift writes exactly the bytes of the plain command', () => {
    synth('plain', []);
    synth('identity', ['--exposure', '1', '--contrast', '1', '--noise', '1', '--blur', '0']);
    const plain = files('plain');
    const identity = files('identity');
    expect([...identity.keys()]).toEqual([...plain.keys()]);
    for (const [name, bytes] of plain) expect(identity.get(name)?.equals(bytes), name).toBe(true);
  });

  it('a shift changes the pixels, not the labels, the acquisition tags or the random streams', () => {
    const patients = planPatients(8, 21, DEFAULT_PREVALENCE);
    const shift = SITE_PRESETS.county.shift;
    for (const patient of patients) {
      const plain = generatePhantom(patient, 0, 21, 128);
      expect(generatePhantom(patient, 0, 21, 128, NO_SHIFT).stored).toEqual(plain.stored);
      const shifted = generatePhantom(patient, 0, 21, 128, shift);
      expect(shifted.truth).toEqual(plain.truth);
      expect(shifted.sopInstanceUID).toBe(plain.sopInstanceUID);
      expect({ ...shifted.acquisition, gain: 0, noise: 0 }).toEqual({ ...plain.acquisition, gain: 0, noise: 0 });
      expect(shifted.acquisition.gain).toBeCloseTo(plain.acquisition.gain * shift.exposure, 12);
      expect(shifted.acquisition.noise).toBeCloseTo(plain.acquisition.noise * shift.noise, 12);
      let changed = 0;
      for (let i = 0; i < plain.stored.length; i++) if (plain.stored[i] !== shifted.stored[i]) changed++;
      expect(changed / plain.stored.length).toBeGreaterThan(0.5);
    }
  });

  it('--site county brings its prevalences (unless --prevalence overrides one) and is reported', () => {
    const out = join(root, 'county');
    const summary = JSON.parse(
      execFileSync(process.execPath, [BIN, 'synth', '--out', out, '--count', '200', '--seed', '5', '--size', '64', '--site', 'county', '--prevalence', 'nodule=0', '--json'], { encoding: 'utf8' }).trim(),
    );
    expect(summary.site).toBe('county');
    expect(summary.shift).toEqual(SITE_PRESETS.county.shift);
    expect(summary.positives.nodule).toBe(0);
    // 200 images, cardiomegaly prevalence 0.45 per patient: far above the default 0.3.
    expect(summary.positives.cardiomegaly / summary.images).toBeGreaterThan(0.36);
  });

  it('refuses an unknown site and a non-positive exposure with CLI_USAGE', () => {
    const unknown = spawnSync(process.execPath, [BIN, 'synth', '--out', join(root, 'x'), '--count', '1', '--seed', '1', '--site', 'mars'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Expected --site to be one of county, clinic, but got "mars"');
    const exposure = spawnSync(process.execPath, [BIN, 'synth', '--out', join(root, 'y'), '--count', '1', '--seed', '1', '--exposure', '0'], { encoding: 'utf8' });
    expect(exposure.status).toBe(2);
    expect(exposure.stderr).toContain('Expected --exposure to be a number > 0');
  });
});
