/**
 * Real DICOM files displayed correctly: the pixels on screen are checked against the file's
 * expected display grey (computed in Node by core/preprocess), not just "no error".
 */
import { expect, test } from '@playwright/test';
import { ensureExternalFixtures } from '../fixtures/external-fixtures.ts';
import { decodeInNode, displayCorrelation } from './helpers/display-match.ts';
import { FIXTURES } from './helpers/fixtures.ts';
import { gotoViewer, hideHeatmap, meanAbsDiff, openFiles, viewportCanvas, viewportPixels, waitForRender, waitForRenderAfter } from './helpers/viewer.ts';

test.beforeAll(async () => {
  await ensureExternalFixtures();
});

test('a JPEG 2000 CT displays the pixels the file holds', async ({ page }) => {
  await gotoViewer(page);
  await hideHeatmap(page);
  await openFiles(page, [FIXTURES.jpeg2000()]);
  await waitForRender(page);
  const shot = await viewportPixels(page);
  const image = await decodeInNode(FIXTURES.jpeg2000());
  expect(image.transferSyntaxUID).toMatch(/^1\.2\.840\.10008\.1\.2\.4\.9[01]$/);
  expect(displayCorrelation(image, 0, shot)).toBeGreaterThan(0.97);
  expect(shot.std).toBeGreaterThan(20);
  await page.screenshot({ path: 'test-results/viewer-jpeg2000.png' });
});

test('a MONOCHROME1 radiograph (no extension) is shown inverted: low values bright', async ({ page }) => {
  await gotoViewer(page);
  await hideHeatmap(page);
  await openFiles(page, [FIXTURES.monochrome1()]);
  await waitForRender(page);
  const shot = await viewportPixels(page);
  const image = await decodeInNode(FIXTURES.monochrome1());
  await page.screenshot({ path: 'test-results/viewer-monochrome1.png' });
  expect(image.photometricInterpretation).toBe('MONOCHROME1');
  // greyFrame applies the MONOCHROME1 inversion: a positive correlation means the screen is inverted too.
  expect(displayCorrelation(image, 0, shot)).toBeGreaterThan(0.95);
  // Un-inverting (I) shows the stored polarity: the same comparison turns strongly negative.
  const renders = Number(await viewportCanvas(page).getAttribute('data-renders'));
  await page.keyboard.press('i');
  await waitForRenderAfter(page, renders);
  expect(displayCorrelation(image, 0, await viewportPixels(page))).toBeLessThan(-0.95);
});

test('a multi-frame file navigates by slider, wheel and keyboard, each frame its own pixels', async ({ page }) => {
  await gotoViewer(page);
  await hideHeatmap(page);
  await openFiles(page, [FIXTURES.multiFrame()]);
  await waitForRender(page, /\/0$/);
  const image = await decodeInNode(FIXTURES.multiFrame());
  expect(image.numberOfFrames).toBe(16);
  await expect(page.getByTestId('frame-count')).toHaveText('1 / 16');
  const first = await viewportPixels(page);
  expect(displayCorrelation(image, 0, first)).toBeGreaterThan(0.95);

  await page.getByTestId('frame-slider').fill('9');
  await waitForRender(page, /\/9$/);
  const tenth = await viewportPixels(page);
  expect(displayCorrelation(image, 9, tenth)).toBeGreaterThan(0.95);
  expect(meanAbsDiff(first, tenth)).toBeGreaterThan(1);

  await viewportCanvas(page).hover();
  await page.mouse.wheel(0, 120);
  await waitForRender(page, /\/10$/);
  await expect(page.getByTestId('frame-count')).toHaveText('11 / 16');
  await page.keyboard.press('ArrowRight');
  await waitForRender(page, /\/11$/);
  expect(displayCorrelation(image, 11, await viewportPixels(page))).toBeGreaterThan(0.95);
  await page.screenshot({ path: 'test-results/viewer-multiframe.png' });
});

test('a truncated file shows its typed error while the other files open', async ({ page }) => {
  await gotoViewer(page);
  await hideHeatmap(page);
  await openFiles(page, [FIXTURES.truncated(), FIXTURES.ct()]);
  const error = page.getByTestId('error');
  await expect(error).toHaveCount(1);
  await expect(error).toHaveAttribute('data-code', 'DICOM_TRUNCATED');
  await expect(error).toContainText('MR_truncated.dcm');
  await waitForRender(page);
  const shot = await viewportPixels(page);
  expect(displayCorrelation(await decodeInNode(FIXTURES.ct()), 0, shot)).toBeGreaterThan(0.95);
});

test('a window/level drag changes the rendered pixels', async ({ page }) => {
  await gotoViewer(page);
  await hideHeatmap(page);
  await openFiles(page, [FIXTURES.ct()]);
  const renders = await waitForRender(page);
  const before = await viewportPixels(page);
  const overlayBefore = await page.getByTestId('overlay-window').textContent();
  const box = await viewportCanvas(page).boundingBox();
  if (!box) throw new Error('viewport has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 6 });
  await page.mouse.up();
  await waitForRenderAfter(page, renders);
  const after = await viewportPixels(page);
  expect(meanAbsDiff(before, after)).toBeGreaterThan(3);
  await expect(page.getByTestId('overlay-window')).not.toHaveText(overlayBefore ?? '');
});
