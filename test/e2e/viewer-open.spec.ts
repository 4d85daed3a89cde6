/** Opening by drag and drop: files dropped anywhere on the window open like picked ones. */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ensureExternalFixtures } from '../fixtures/external-fixtures.ts';
import { FIXTURES } from './helpers/fixtures.ts';
import { gotoViewer, waitForRender } from './helpers/viewer.ts';

test.beforeAll(async () => {
  await ensureExternalFixtures();
});

test('dropped files open: readable ones in the study list, the broken one with its typed error', async ({ page }) => {
  await gotoViewer(page);
  const files = [FIXTURES.ct(), FIXTURES.multiFrame(), FIXTURES.truncated()].map((p) => ({ name: basename(p), bytes: [...readFileSync(p)] }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
  await expect(page.getByText('Drop files or folders to open them')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  await expect(page.getByText('Drop files or folders to open them')).toBeHidden();
  await expect(page.getByTestId('series-item')).toHaveCount(2);
  await expect(page.getByTestId('error')).toHaveAttribute('data-code', 'DICOM_TRUNCATED');
  await waitForRender(page);
  await page.getByTestId('series-item').filter({ hasText: 'explicit_little.dcm' }).click();
  await expect(page.getByTestId('frame-count')).toHaveText('1 / 16');
});

test('clearing the session takes the study off the screen and out of every list', async ({ page }) => {
  await gotoViewer(page);
  await page.getByTestId('file-input').setInputFiles([FIXTURES.ct(), FIXTURES.truncated()]);
  await waitForRender(page);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await page.getByTestId('privacy-clear-session').click();
  await expect(page.getByTestId('series-item')).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByTestId('worklist')).toHaveCount(0);
  await expect(page.getByTestId('viewport-canvas')).not.toHaveAttribute('data-image-id', /.+/);
  // Whatever canvas the viewport now holds has no pixel of the study left on it.
  const painted = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('[data-testid=viewport-canvas] canvas')].reduce((n, c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return n;
      return n + ctx.getImageData(0, 0, c.width, c.height).data.reduce((k, v) => k + (v > 0 ? 1 : 0), 0);
    }, 0),
  );
  expect(painted).toBe(0);
});
