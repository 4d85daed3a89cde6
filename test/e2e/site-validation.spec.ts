/**
 * "Validate at this site" end to end in Chromium, against `radlocal calibrate` on the same
 * data: a shifted site of 300 phantoms (`radlocal synth --site county`) is validated and
 * recalibrated in the page; every figure equals the CLI's (≤ 1e-6); the downloaded profile,
 * opened after a reload, changes the scores as `radlocal predict --site` does; the network
 * log holds same-origin GETs only and nothing about the cases is left in browser storage.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../fixtures/external-fixtures.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable } from './helpers/model-under-test.ts';
import { gotoViewer, openFiles, waitForRender } from './helpers/viewer.ts';
import { recordNetwork } from './privacy-helpers.ts';

test.skip(!modelAvailable(), `no model at ${MODEL_DIR} (and in the build) yet`);
test.setTimeout(900_000);

const BIN = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const COUNT = Number(process.env.RADLOCAL_E2E_SITE_COUNT ?? 300);
const TOLERANCE = 1e-6;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every number of `a` within TOLERANCE of `b`'s, every other value equal; returns the largest difference. */
function compareJson(a: Json, b: Json, path: string, skip: ReadonlySet<string>): number {
  if (skip.has(path)) return 0;
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(TOLERANCE);
    return Math.abs(a - b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    return Math.max(0, ...a.map((x, i) => compareJson(x, b[i] as Json, `${path}[${i}]`, skip)));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    return Math.max(0, ...Object.keys(a).map((k) => compareJson(a[k] as Json, b[k] as Json, `${path}.${k}`, skip)));
  }
  expect(a, path).toEqual(b);
  return 0;
}

const cli = (args: string[]): string => execFileSync('node', [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

async function openSiteDialog(page: Page): Promise<void> {
  await page.getByTestId('site-validation-open').click();
  await expect(page.getByTestId('site-validation')).toBeVisible();
}

test('a shifted site is validated and recalibrated in the page with the CLI’s numbers; the profile re-scores after a reload', async ({ browser }) => {
  const root = mkdtempSync(join(tmpdir(), 'radlocal-e2e-site-'));
  const data = join(root, 'county');
  cli(['synth', '--out', data, '--count', String(COUNT), '--seed', '4242', '--size', '256', '--site', 'county']);
  const fromCli = JSON.parse(cli(['calibrate', '--model', MODEL_DIR, '--data', data, '--out', join(root, 'cli-site.json'), '--backend', 'wasm', '--json']).trim()) as {
    validation: { images: number; oodFlagged: number; perLabel: Record<string, Record<string, Json>>; flaggedPerLabel?: Record<string, Record<string, Json>> };
    profile: { [key: string]: Json };
  };
  const labels = Object.keys(fromCli.validation.perLabel);

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const network = recordNetwork(context, page);
  const origin = new URL(test.info().project.use.baseURL as string).origin;
  await gotoViewer(page, `#model=${MODEL_NAME}&backend=wasm`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');

  // Validate: every image of the folder, progress to the end.
  await openSiteDialog(page);
  await page.getByTestId('site-folder-input').setInputFiles(data);
  await expect(page.getByTestId('site-folder-summary')).toHaveAttribute('data-images', String(COUNT));
  const started = Date.now();
  await page.getByTestId('site-validate').click();
  await expect(page.getByTestId('site-validation-result')).toBeVisible({ timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  await expect(page.getByTestId('site-progress')).toHaveAttribute('data-done', String(COUNT));
  await expect(page.getByTestId('site-validation-result')).toHaveAttribute('data-ood-flagged', String(fromCli.validation.oodFlagged));

  let maxDiff = 0;
  const attributes: Record<string, string> = {
    auc: 'data-auc',
    sensitivity: 'data-sensitivity',
    specificity: 'data-specificity',
    ece: 'data-ece',
    brier: 'data-brier',
    calibrationSlope: 'data-calibration-slope',
    calibrationIntercept: 'data-calibration-intercept',
    prevalence: 'data-prevalence',
    threshold: 'data-threshold',
    aucCi95: 'data-auc-ci',
    sensitivityCi95: 'data-sensitivity-ci',
    specificityCi95: 'data-specificity-ci',
  };
  const tables: [string, Record<string, Record<string, Json>> | undefined][] = [
    ['site-metrics', fromCli.validation.perLabel],
    ['site-metrics-flagged', fromCli.validation.flaggedPerLabel],
  ];
  for (const [testId, perLabel] of tables) {
    if (!perLabel) continue;
    for (const label of labels) {
      const row = page.getByTestId(`${testId}-${label}`);
      for (const [key, attribute] of Object.entries(attributes)) {
        const text = (await row.getAttribute(attribute)) as string;
        const shown: Json = key.endsWith('Ci95') ? text.split(',').map((v) => (v === 'NaN' || v === '' ? null : Number(v))) : text === 'NaN' || text === 'null' ? null : Number(text);
        maxDiff = Math.max(maxDiff, compareJson(shown, perLabel[label]![key] as Json, `${testId}.${label}.${key}`, new Set()));
      }
    }
  }
  await page.screenshot({ path: 'test-results/site-validation.png', fullPage: true });

  // Recalibrate and download the profile: the CLI's profile, number for number.
  await page.getByTestId('site-recalibrate').click();
  await expect(page.getByTestId('site-recalibration')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('site-download').click()]);
  const profilePath = join(root, 'page-site.json');
  await download.saveAs(profilePath);
  const fromPage = JSON.parse(readFileSync(profilePath, 'utf8')) as { [key: string]: Json };
  maxDiff = Math.max(maxDiff, compareJson(fromPage, fromCli.profile, 'profile', new Set(['profile.createdAt'])));
  test.info().annotations.push({ type: 'max |page − CLI| over every figure', description: String(maxDiff) });
  test.info().annotations.push({ type: `validating ${COUNT} images in the page`, description: `${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(1)} images/s)` });
  await page.screenshot({ path: 'test-results/site-recalibration.png', fullPage: true });

  // Cancel stops taking images (validating again, cancelled at once).
  await page.getByTestId('site-validate').click();
  await page.getByTestId('site-cancel').click();
  await expect(page.getByTestId('site-cancel')).toBeDisabled();
  expect(Number(await page.getByTestId('site-progress').getAttribute('data-done'))).toBeLessThan(COUNT);
  await expect(page.getByText(/— cancelled/)).toBeVisible();

  // After a reload, the downloaded profile re-scores images as radlocal predict --site does.
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');
  await openSiteDialog(page);
  await page.getByTestId('site-profile-input').setInputFiles(profilePath);
  await expect(page.getByTestId('site-profile-applied')).toHaveAttribute('data-site', 'county');
  await page.keyboard.press('Escape');
  const rows = readFileSync(join(data, 'labels.csv'), 'utf8').trim().split('\n').slice(1, 4);
  const files = rows.map((row) => join(data, row.split(',')[0]!));
  const withSite = cli(['predict', '--model', MODEL_DIR, '--backend', 'wasm', '--site', profilePath, '--json', ...files]).trim().split('\n').map((l) => JSON.parse(l));
  const plain = cli(['predict', '--model', MODEL_DIR, '--backend', 'wasm', '--json', files[0]!]).trim().split('\n').map((l) => JSON.parse(l));
  await openFiles(page, [files[0]!]);
  await waitForRender(page);
  await expect(page.getByTestId('site-calibration')).toHaveAttribute('data-site', 'county');
  await expect(page.getByTestId('site-calibration')).toHaveAttribute('data-n', String(COUNT));
  let maxScoreDiff = 0;
  let changed = 0;
  for (const label of labels) {
    const shown = Number(await page.getByTestId(`score-${label}`).getAttribute('data-score'));
    maxScoreDiff = Math.max(maxScoreDiff, Math.abs(shown - (withSite[0].scores[label] as number)));
    if (Math.abs(shown - (plain[0].scores[label] as number)) > 1e-3) changed++;
  }
  test.info().annotations.push({ type: 'max |page − predict --site| score', description: String(maxScoreDiff) });
  expect(maxScoreDiff).toBeLessThanOrEqual(1e-4);
  expect(changed, 'the site profile changes the scores').toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/site-applied.png' });

  // A profile for another model is refused.
  const other = join(root, 'other-model.json');
  writeFileSync(other, JSON.stringify({ ...fromPage, model: { ...(fromPage.model as object), sha256: 'f'.repeat(64) } }));
  await openSiteDialog(page);
  await page.getByTestId('site-profile-input').setInputFiles(other);
  await expect(page.getByTestId('site-profile-error')).toHaveAttribute('data-code', 'SITE_PROFILE_MISMATCH');

  // Nothing left the page; nothing about the cases stayed in storage.
  for (const r of network.requests) {
    expect(new URL(r.url).origin, r.url).toBe(origin);
    expect(r.method, r.url).toBe('GET');
    expect(r.postData, r.url).toBeNull();
    expect(decodeURIComponent(r.url), r.url).not.toMatch(/PH\d{6}|county|site-profile/);
  }
  const storage = await page.evaluate(async () => {
    const cached: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
    return { localStorage: localStorage.length, sessionStorage: sessionStorage.length, indexedDb: (await indexedDB.databases()).map((d) => d.name), cached };
  });
  expect(storage.localStorage).toBe(0);
  expect(storage.sessionStorage).toBe(0);
  expect(storage.indexedDb).toEqual([]);
  for (const path of storage.cached) expect(path).not.toMatch(/PH\d{6}|county|site-profile|\.dcm$/);
  console.log(test.info().annotations.map((a) => `${a.type}: ${a.description}`).join('\n'));
  await context.close();
  rmSync(root, { recursive: true, force: true });
});
