/**
 * The worklist at scale, as a reader drives it: 300 studies triaged with a small decoded-pixel
 * budget (the page's gauge never exceeds it), cancel and resume, windowed rows, sort, filter
 * and J/K through the cases; a 500-frame file scrolled without decoding its other frames;
 * the viewport re-fitted when it changes size. No timing assertions.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../../core/dicom/transfer-syntax-uids.ts';
import { writePart10 } from '../../training/src/dicom-write/write-part10.ts';
import { REPO_ROOT } from '../fixtures/external-fixtures.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable } from './helpers/model-under-test.ts';
import { gotoViewer, viewportCanvas, waitForRender } from './helpers/viewer.ts';

test.skip(!modelAvailable(), `no model at ${MODEL_DIR} (and in the build) yet`);

const STUDIES = 300;
const SIZE = 512;
const BUDGET_MB = 16;
let phantoms: string[] = [];

test.beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'radlocal-e2e-worklist-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'training/bin/radlocal.mjs'), 'synth', '--out', dir, '--count', String(STUDIES), '--seed', '31', '--size', String(SIZE)], { stdio: 'pipe' });
  phantoms = readFileSync(join(dir, 'labels.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => join(dir, row.split(',')[0] as string));
});

interface Gauge {
  bytes: number;
  peak: number;
  budget: number;
  frames: number;
}

const gauge = (page: Page): Promise<Gauge> => page.evaluate(() => (window.__radlocal as NonNullable<typeof window.__radlocal>).decodedBytes());
const analysedCount = async (page: Page): Promise<number> => Number(/^(\d+)\//.exec((await page.getByTestId('worklist-progress-text').textContent()) ?? '')?.[1] ?? NaN);

test(`${STUDIES} studies triaged under a ${BUDGET_MB} MB decoded-pixel budget while the reader steps through them`, async ({ page }) => {
  test.setTimeout(600_000);
  await gotoViewer(page, `#model=${MODEL_NAME}&cache=${BUDGET_MB}`);
  await page.getByTestId('file-input').setInputFiles(phantoms);
  const progress = page.getByTestId('worklist-progress-text');

  // Cancel part-way: scores stop arriving; resume finishes the list.
  await expect.poll(() => analysedCount(page), { timeout: 120_000 }).toBeGreaterThan(10);
  await page.getByTestId('triage-cancel').click();
  await expect(page.getByTestId('triage-resume')).toBeVisible();
  const stoppedAt = await analysedCount(page);
  await page.waitForTimeout(1500);
  expect(await analysedCount(page)).toBe(stoppedAt);
  expect(stoppedAt).toBeLessThan(STUDIES);
  await page.getByTestId('triage-resume').click();

  // Meanwhile the reader opens one case after another (J) from the top of a list in patient
  // order (which arriving scores do not reorder): each is decoded for display.
  await page.getByTestId('sort-patient').click();
  await page.getByTestId('worklist-rows').evaluate((el) => (el.scrollTop = 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.getByTestId('worklist-row').first().click();
  await waitForRender(page);
  const canvas = viewportCanvas(page);
  const seen: Gauge[] = [];
  for (let i = 0; i < 60; i++) {
    const before = await canvas.getAttribute('data-image-id');
    await page.keyboard.press('j');
    // The next case is on screen (so its frame was decoded), not just the previous one still.
    await expect(canvas).not.toHaveAttribute('data-image-id', before ?? '');
    await waitForRender(page);
    seen.push(await gauge(page));
  }
  await expect(progress).toContainText(`${STUDIES}/${STUDIES} analysed`, { timeout: 540_000 });
  const final = await gauge(page);
  const frameBytes = SIZE * SIZE * 2;
  expect(final.budget).toBe(BUDGET_MB * 1024 * 1024);
  for (const g of seen) expect(g.bytes).toBeLessThanOrEqual(final.budget);
  expect(final.peak).toBeLessThanOrEqual(final.budget);
  // The cache did fill and evict: 60 frames of up to 512 kB were shown, about 32 fit.
  expect(final.peak).toBeGreaterThan(final.budget - 2 * frameBytes);
  expect(final.frames).toBeLessThan(seen.length);

  // Windowed: a few dozen rows in the DOM for 300 studies.
  await expect(page.getByTestId('worklist')).toContainText(`${STUDIES} studies`);
  expect(await page.getByTestId('worklist-row').count()).toBeLessThan(60);
});

test('the worklist sorts by score, OOD and date, filters by positive finding, and J / K follow the order shown', async ({ page }) => {
  test.setTimeout(300_000);
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  const files = phantoms.slice(0, 40);
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('worklist-progress-text')).toContainText(`${files.length}/${files.length} analysed`, { timeout: 240_000 });
  const rows = page.getByTestId('worklist-row');
  // The rows in the DOM from the top of the list (it is windowed: scroll up, let it re-render).
  const column = async (attribute: string) => {
    await page.getByTestId('worklist-rows').evaluate((el) => (el.scrollTop = 0));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return rows.evaluateAll((els, a) => els.map((e) => e.getAttribute(a) ?? ''), attribute);
  };

  // Default: top score, highest first (the visible window of rows).
  const scores = (await column('data-top-score')).map(Number);
  expect(scores.length).toBeGreaterThan(5);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  await page.getByTestId('sort-topScore').click();
  const ascending = (await column('data-top-score')).map(Number);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

  await page.getByTestId('sort-date').click();
  const dates = await column('data-date');
  expect(dates).toEqual([...dates].sort());
  await page.getByTestId('sort-ood').click();
  const ood = await column('data-ood');
  expect(ood).toEqual([...ood].sort().reverse()); // flagged ("true") first

  // Filter: only studies with a positive finding, then one finding.
  await page.getByTestId('worklist-filter').selectOption('positive');
  for (const p of await column('data-positives')) expect(p).not.toBe('');
  await page.getByTestId('worklist-filter').selectOption('pleural_effusion');
  for (const p of await column('data-positives')) expect(p.split(' ')).toContain('pleural_effusion');
  await page.getByTestId('worklist-filter').selectOption('all');

  // J / K: next / previous case in the order shown.
  await page.getByTestId('sort-topScore').click(); // back to highest first
  await column('data-top-score');
  await rows.first().click();
  await expect(rows.first()).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('j');
  await expect(rows.nth(2)).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('k');
  await expect(rows.nth(1)).toHaveAttribute('data-selected', 'true');
});

test('a 500-frame file scrolls without decoding its other frames', async ({ page }) => {
  const rows = 128;
  const frames = Array.from({ length: 500 }, (_, k) => new Uint16Array(rows * rows).fill(k * 100 + 1));
  const bytes = await writePart10({
    sopClassUID: '1.2.840.10008.5.1.4.1.1.7.3',
    sopInstanceUID: '1.2.826.0.1.3680043.10.1234.500',
    transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    rows,
    columns: rows,
    bitsStored: 16,
    frames,
    dataset: [
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7.3' },
      { tag: 0x00080018, vr: 'UI', value: '1.2.826.0.1.3680043.10.1234.500' },
      { tag: 0x00080060, vr: 'CS', value: 'OT' },
      { tag: 0x0020000d, vr: 'UI', value: '1.2.826.0.1.3680043.10.1234.1' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1234.2' },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280008, vr: 'IS', value: '500' },
      { tag: 0x00280010, vr: 'US', value: rows },
      { tag: 0x00280011, vr: 'US', value: rows },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 16 },
      { tag: 0x00280102, vr: 'US', value: 15 },
      { tag: 0x00280103, vr: 'US', value: 0 },
    ],
  });
  const path = join(mkdtempSync(join(tmpdir(), 'radlocal-e2e-cine-')), 'cine-500.dcm');
  writeFileSync(path, bytes);
  await gotoViewer(page);
  await page.getByTestId('file-input').setInputFiles([path]);
  await expect(page.getByTestId('frame-count')).toHaveText('1 / 500');
  await waitForRender(page, /\/0$/);
  await page.getByTestId('frame-slider').fill('249');
  await waitForRender(page, /\/249$/);
  await page.keyboard.press('ArrowRight');
  await waitForRender(page, /\/250$/);
  // Three frames shown, three decoded for display (triage decodes frame 0 in its worker only).
  const g = await gauge(page);
  expect(g.frames).toBe(3);
  expect(g.bytes).toBe(3 * rows * rows * 2);
  // Frame 250 is on screen with its own stored values (all 25001).
  const input = await page.evaluate(() => (window.__radlocal as NonNullable<typeof window.__radlocal>).preprocess('cine-500.dcm', 250));
  expect(input.length).toBeGreaterThan(0);
});

test('the viewport keeps the image fitted when its size changes', async ({ page }) => {
  await gotoViewer(page);
  await page.getByTestId('file-input').setInputFiles([phantoms[0] as string]);
  await waitForRender(page);
  const fittedZoom = async (): Promise<{ shown: string; expected: number }> => {
    const box = await page.getByTestId('viewport-canvas').boundingBox();
    const shown = (await page.getByTestId('overlay-window').textContent()) ?? '';
    // The overlay names the image's size as columns×rows.
    const [columns, rows] = (/^(\d+)×(\d+) /.exec((await page.getByTestId('overlay-size').textContent()) ?? '') ?? []).slice(1).map(Number);
    const fit = Math.min((box?.width ?? 0) / (columns ?? NaN), (box?.height ?? 0) / (rows ?? NaN));
    return { shown, expected: Math.round(fit * 100) };
  };
  for (const size of [{ width: 1440, height: 900 }, { width: 1100, height: 640 }, { width: 1600, height: 1000 }]) {
    await page.setViewportSize(size);
    await expect
      .poll(async () => {
        const z = await fittedZoom();
        // The canvas takes whole pixels of the element: allow 1 % of rounding.
        const zoom = Number(/Zoom (\d+)%/.exec(z.shown)?.[1]);
        return Math.abs(zoom - z.expected) <= 1 ? 'fitted' : JSON.stringify(z);
      })
      .toBe('fitted');
  }
});
