/**
 * Second opinion in the page: a CT is flagged out of distribution with its scores greyed
 * out; the heatmap toggle changes the rendered pixels; many studies fill the worklist.
 */
import { expect, test } from '@playwright/test';
import { ensureExternalFixtures } from '../fixtures/external-fixtures.ts';
import { FIXTURES } from './helpers/fixtures.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable, phantomFiles } from './helpers/model-under-test.ts';
import { gotoViewer, meanAbsDiff, openFiles, viewportCanvas, viewportPixels, waitForRender, waitForRenderAfter } from './helpers/viewer.ts';

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
