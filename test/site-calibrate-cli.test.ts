/**
 * `radlocal calibrate` and `--site` through the real CLI on a synthetic shifted site: the
 * profile written equals the one printed, is bound to the model's sha256 and applies to
 * `predict --site` as p = sigmoid(a·logit + b); a profile for another model is refused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelCard } from '../core/model/model-card.ts';
import { parseSiteProfile, type SiteProfile } from '../core/site/site-profile.ts';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';

const BIN = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const MODEL = join(REPO_ROOT, 'models', 'chest-phantom');
const root = mkdtempSync(join(tmpdir(), 'radlocal-site-cli-'));
const data = join(root, 'county');
const out = join(root, 'site.json');
let printed: { out: string; validation: { images: number; oodFlagged: number; perLabel: Record<string, { n: number }> }; profile: SiteProfile };

const cli = (args: string[]): string => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  cli(['synth', '--out', data, '--count', '160', '--seed', '3', '--size', '128', '--site', 'county']);
  printed = JSON.parse(cli(['calibrate', '--model', MODEL, '--data', data, '--out', out, '--site', 'County General', '--bootstrap', '100', '--json']).trim());
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('radlocal calibrate', () => {
  it('writes the profile it prints, bound to the model card, with a fit and an evaluation half', () => {
    const written = parseSiteProfile(new Uint8Array(readFileSync(out)));
    expect(written).toEqual(printed.profile);
    expect(written.site).toBe('County General');
    const card = parseModelCard(new Uint8Array(readFileSync(join(MODEL, 'model-card.json'))));
    expect(written.labels).toEqual(card.labels);
    expect(written.model.name).toBe(card.name);
    expect(written.data.images).toBe(160);
    expect(written.data.fit.images + written.data.evaluate.images + written.data.oodFlagged).toBe(160);
    expect(printed.validation.images).toBe(160);
    // Few positives at 160 images: the guards speak.
    expect(written.warnings.some((w) => /Only \d+ positive/.test(w))).toBe(true);
  });

  it('predict --site gives sigmoid(a·logit + b) per finding and says which site', () => {
    const files = readdirSync(join(data, 'images')).slice(0, 3).map((f) => join(data, 'images', f));
    const plain = cli(['predict', '--model', MODEL, '--json', ...files]).trim().split('\n').map((l) => JSON.parse(l));
    const site = cli(['predict', '--model', MODEL, '--json', '--site', out, ...files]).trim().split('\n').map((l) => JSON.parse(l));
    const card = parseModelCard(new Uint8Array(readFileSync(join(MODEL, 'model-card.json'))));
    site.forEach((record, i) => {
      expect(record.site).toEqual({
        site: 'County General',
        n: 160,
        createdAt: printed.profile.createdAt,
        disabled: printed.profile.disabled,
        cardBoundary: printed.profile.labels.filter((l) => printed.profile.findings[l]!.thresholdSource === 'card'),
      });
      for (const label of card.labels) {
        const p = plain[i].scores[label] as number;
        if (p > 1 - 1e-6 || p < 1e-6) continue; // the logit cannot be recovered from a saturated score
        const logit = (card.calibration.temperatures[label] as number) * Math.log(p / (1 - p));
        const { a, b } = printed.profile.findings[label]!.calibration;
        expect(record.scores[label]).toBeCloseTo(1 / (1 + Math.exp(-(a * logit + b))), 5);
      }
      for (const label of printed.profile.disabled) expect(record.positives).not.toContain(label);
    });
  });

  it('evaluate scores every image of a folder that is not the training data, says so, and applies --site', () => {
    const result = JSON.parse(cli(['evaluate', '--model', MODEL, '--data', data, '--site', out, '--bootstrap', '100', '--json']).trim());
    expect(result.split).toBe('all');
    expect(result.n).toBe(160);
    expect(result.splitReason).toMatch(/^every image of the folder \(160/);
    expect(result.site).toMatchObject({ site: 'County General', n: 160 });
    for (const label of printed.profile.labels) expect(result.perLabel[label].threshold).toBe(printed.profile.findings[label]!.threshold);
  });

  it('refuses a profile made for another model with SITE_PROFILE_MISMATCH', () => {
    const other = join(root, 'other.json');
    writeFileSync(other, JSON.stringify({ ...printed.profile, model: { ...printed.profile.model, sha256: 'f'.repeat(64) } }));
    const result = spawnSync(process.execPath, [BIN, 'predict', '--model', MODEL, '--site', other, join(data, 'labels.csv')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('[SITE_PROFILE_MISMATCH]');
  });
});
