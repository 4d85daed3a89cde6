/**
 * Second opinion in the page: a CT and a real CR radiograph are flagged out of distribution
 * with their reasons and their scores greyed out; the heatmap toggle changes the rendered pixels; many studies fill the worklist;
 * images opened before the model is ready are scored without a blank warm-up.
 */
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeImageFile } from '../../core/image/decode-image-file.ts';
import type { StudyReport } from '../../web/src/features/report/build-report.ts';
import { ensureExternalFixtures } from '../fixtures/external-fixtures.ts';
import { FIXTURES } from './helpers/fixtures.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable, phantomFiles } from './helpers/model-under-test.ts';
import { colouredCentroid, gotoViewer, meanAbsDiff, openFiles, viewportCanvas, viewportPixels, waitForRender, waitForRenderAfter } from './helpers/viewer.ts';

test.skip(!modelAvailable(), `no model at ${MODEL_DIR} (and in the build) yet`);

test.beforeAll(async () => {
  await ensureExternalFixtures();
});

test('a CT file is flagged out of distribution, with reasons, and its scores are greyed out', async ({ page }) => {
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [FIXTURES.ct()]);
  const ood = page.getByTestId('ood-status');
  await expect(ood).toHaveAttribute('data-flagged', 'true');
  await expect(ood.locator('li').first()).toBeVisible();
  await expect(page.locator('.scores.scores-greyed')).toBeVisible();
  await expect(page.getByTestId('worklist-row')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('worklist-row').getByText('OOD')).toBeVisible();
});

test('a real CR radiograph is flagged by its pixels, saying the model was trained on phantoms, scores greyed and the reason in the worklist', async ({ page }) => {
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [FIXTURES.monochrome1()]);
  const ood = page.getByTestId('ood-status');
  await expect(ood).toHaveAttribute('data-flagged', 'true');
  await expect(ood.locator('li').first()).toHaveText(/^Outside the domain this model was validated on: it was trained on synthetic phantoms/);
  await expect(page.locator('.scores.scores-greyed')).toBeVisible();
  const flag = page.getByTestId('worklist-row').getByText('OOD');
  await expect(flag).toHaveAttribute('title', /trained on synthetic phantoms/);
  await page.screenshot({ path: 'test-results/ood-real-cr.png' });
});

test('the heatmap toggle changes the rendered pixels, and back', async ({ page }) => {
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [phantomFiles()[0] as string]);
  await waitForRender(page);
  const toggle = page.getByTestId('heatmap-toggle');
  await expect(toggle).toBeEnabled();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewport-canvas]')?.getAttribute('data-renders')) > 0);
  const withMap = await viewportPixels(page);
  expect(withMap.colouredFraction).toBeGreaterThan(0.01);

  let renders = Number(await viewportCanvas(page).getAttribute('data-renders'));
  await toggle.click();
  await waitForRenderAfter(page, renders);
  const without = await viewportPixels(page);
  expect(without.colouredFraction).toBeLessThan(0.001);
  expect(meanAbsDiff(withMap, without)).toBeGreaterThan(0.1);

  renders = Number(await viewportCanvas(page).getAttribute('data-renders'));
  await page.keyboard.press('h');
  await waitForRenderAfter(page, renders);
  expect((await viewportPixels(page)).colouredFraction).toBeGreaterThan(0.01);
  await page.screenshot({ path: 'test-results/viewer-heatmap.png' });
});

test('the heatmap stays on the same anatomy under rotation, flip and zoom', async ({ page }) => {
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [phantomFiles()[0] as string]);
  await waitForRender(page);
  await expect(page.getByTestId('heatmap-toggle')).toBeEnabled();
  const shot = async (action: () => Promise<void>) => {
    const renders = Number(await viewportCanvas(page).getAttribute('data-renders'));
    await action();
    await waitForRenderAfter(page, renders);
    return viewportPixels(page);
  };
  const fitted = await viewportPixels(page);
  const a = colouredCentroid(fitted);
  expect(a.n).toBeGreaterThan(500);
  const cx = fitted.width / 2;
  const cy = fitted.height / 2;

  // Rotation by 90° clockwise about the viewport centre: (dx, dy) → (−dy, dx).
  const rotated = colouredCentroid(await shot(() => page.getByTestId('tool-rotate').click()));
  expect(Math.abs(rotated.x - (cx - (a.y - cy)))).toBeLessThan(6);
  expect(Math.abs(rotated.y - (cy + (a.x - cx)))).toBeLessThan(6);

  // Back to 0° (three more quarter turns), then a horizontal flip mirrors x about the centre.
  for (let i = 0; i < 3; i++) await shot(() => page.getByTestId('tool-rotate').click());
  const flipped = colouredCentroid(await shot(() => page.getByTestId('tool-flip-h').click()));
  expect(Math.abs(flipped.x - (2 * cx - a.x))).toBeLessThan(6);
  expect(Math.abs(flipped.y - a.y)).toBeLessThan(6);
  await shot(() => page.getByTestId('tool-flip-h').click());

  // Zoom (Ctrl + wheel) scales about the centre by the overlay's zoom ratio.
  const zoomOf = async () => Number((await page.getByTestId('overlay-window').textContent())?.match(/Zoom (\d+)%/)?.[1]);
  const before = await zoomOf();
  await viewportCanvas(page).hover();
  const zoomed = await shot(async () => {
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
  });
  const k = (await zoomOf()) / before;
  expect(k).toBeGreaterThan(1.2);
  const z = colouredCentroid(zoomed);
  // Expected: the fitted map's coloured pixels scaled by k about the centre, those still in view.
  let ex = 0;
  let ey = 0;
  let en = 0;
  for (let y = 0; y < fitted.height; y++) {
    for (let x = 0; x < fitted.width; x++) {
      const i = (y * fitted.width + x) * 4;
      const rgb = [fitted.rgba[i], fitted.rgba[i + 1], fitted.rgba[i + 2]] as number[];
      if (Math.max(...rgb) - Math.min(...rgb) <= 16) continue;
      const zx = cx + (x - cx) * k;
      const zy = cy + (y - cy) * k;
      if (zx < 0 || zy < 0 || zx >= fitted.width || zy >= fitted.height) continue;
      ex += zx;
      ey += zy;
      en++;
    }
  }
  expect(en).toBeGreaterThan(200);
  expect(Math.abs(z.x - ex / en)).toBeLessThan(0.03 * fitted.width);
  expect(Math.abs(z.y - ey / en)).toBeLessThan(0.03 * fitted.height);
  await page.screenshot({ path: 'test-results/viewer-heatmap-zoomed.png' });
});

test('the JSON report holds the shown scores, the file and model hashes, and no patient identifiers', async ({ page }) => {
  const file = phantomFiles()[1] as string;
  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [file]);
  await expect(page.getByTestId('export-report')).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  const report = JSON.parse(readFileSync(await download.path(), 'utf8')) as StudyReport;
  const bytes = readFileSync(file);
  expect(report.images).toHaveLength(1);
  const image = report.images[0];
  expect(image?.fileSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  for (const [label, score] of Object.entries(image?.scores ?? {})) {
    expect(score).toBe(Number(await page.getByTestId(`score-${label}`).getAttribute('data-score')));
  }
  expect(report.model.sha256).toBe(createHash('sha256').update(readFileSync(`${MODEL_DIR}/model-card.json`)).digest('hex'));
  const decoded = await decodeImageFile(new Uint8Array(bytes));
  const text = JSON.stringify(report);
  for (const tag of ['00100010', '00100020', '0020000d', '00080018']) {
    const value = decoded.tags[tag]?.trim();
    if (value) expect(text).not.toContain(value);
  }
});

test('images opened while the model is still loading are scored first, without a blank warm-up, and the backend is timed by its second prediction', async ({ page }) => {
  const files = phantomFiles().slice(0, 3);
  // The model's weights arrive late, so the images are waiting when the worker has built the
  // model: it skips its blank warm-up and the first image pays the one-time costs instead.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.context().route('**/group1-shard1of1.bin', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/#model=${MODEL_NAME}&backend=wasm`);
  await openFiles(page, files);
  await expect(page.getByTestId('worklist-row')).toHaveCount(files.length);
  // A file's decode time is recorded as its triage returns, when its prediction is sent.
  await expect.poll(() => page.evaluate(() => window.__radlocal?.decodeTimings().length ?? 0)).toBeGreaterThan(0);
  release();
  for (const row of await page.getByTestId('worklist-row').all()) await expect(row).toHaveAttribute('data-status', 'done');
  await expect(page.locator('[data-testid^="score-"]').first()).toBeVisible();
  const stages = await page.evaluate(() => window.__radlocal?.marks() ?? {});
  expect(stages['worker.wasmBuilt'], 'the model was built').toBeGreaterThan(0);
  expect('worker.wasmWarm' in stages, 'no blank warm-up').toBe(false);
  // Timed by its predictions from the second on: never "not timed yet" or "failed".
  await expect(page.getByTestId('backend')).toHaveAttribute('title', /wasm: \d+(\.\d)? ms$/);
});
