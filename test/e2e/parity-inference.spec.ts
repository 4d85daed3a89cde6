/**
 * Node ↔ Chromium parity of the one pipeline: the same phantom DICOM gives the same model
 * input (≤ 1e-6) and the same calibrated scores and OOD score as `radlocal predict` (≤ 1e-4),
 * and the same OOD verdict. The backend the page chose is recorded in the test's annotations.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile } from '../../core/image/decode-image-file.ts';
import { parseModelCard } from '../../core/model/model-card.ts';
import { preprocessFrame } from '../../core/preprocess/preprocess-frame.ts';
import { formatPercent } from '../../web/src/shared/format/score.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable, phantomFiles, predictWithCli } from './helpers/model-under-test.ts';
import { gotoViewer, openFiles, waitForRender } from './helpers/viewer.ts';

test.skip(!modelAvailable(), `no model at ${MODEL_DIR} (and in the build) yet`);

test('a phantom DICOM gets the same scores in the page as from radlocal predict, and the same model input', async ({ page }) => {
  const file = phantomFiles()[0] as string;
  const [cli] = predictWithCli([file]);
  expect(cli?.ok).toBe(true);
  if (!cli) return;

  await gotoViewer(page, `#model=${MODEL_NAME}`);
  await openFiles(page, [file]);
  await waitForRender(page);
  const labels = Object.keys(cli.scores);
  for (const label of labels) await expect(page.getByTestId(`score-${label}`)).toHaveAttribute('data-score', /\d/);

  const backend = await page.getByTestId('backend').getAttribute('data-backend');
  test.info().annotations.push({ type: 'backend', description: backend ?? 'unknown' });
  let maxScoreDiff = 0;
  for (const label of labels) {
    const shown = Number(await page.getByTestId(`score-${label}`).getAttribute('data-score'));
    maxScoreDiff = Math.max(maxScoreDiff, Math.abs(shown - (cli.scores[label] as number)));
    await expect(page.getByTestId(`score-${label}`)).toHaveText(formatPercent(cli.scores[label] as number));
  }
  test.info().annotations.push({ type: 'max |score page − score CLI|', description: String(maxScoreDiff) });
  expect(maxScoreDiff).toBeLessThanOrEqual(1e-4);
  await expect(page.getByTestId('ood-status')).toHaveAttribute('data-flagged', String(cli.ood.flagged));
  // The OOD score (multi-layer feature distance, read in the same forward pass) agrees too.
  const oodInPage = Number(await page.getByTestId('ood-status').getAttribute('data-distance'));
  const oodDiff = Math.abs(oodInPage - cli.ood.distance);
  test.info().annotations.push({ type: '|OOD score page − OOD score CLI|', description: `${oodDiff} (score ${cli.ood.distance})` });
  expect(oodDiff).toBeLessThanOrEqual(1e-4);

  // Model input: the worker's preprocessing against core/preprocess run here in Node.
  const card = parseModelCard(new Uint8Array(readFileSync(`${MODEL_DIR}/model-card.json`)));
  const image = await decodeImageFile(new Uint8Array(readFileSync(file)));
  const expected = preprocessFrame(image, 0, card.preprocessing).data;
  const inPage = await page.evaluate((name) => window.__radlocal?.preprocess(name, 0), basename(file));
  expect(inPage?.length).toBe(expected.length);
  let maxInputDiff = 0;
  for (let i = 0; i < expected.length; i++) maxInputDiff = Math.max(maxInputDiff, Math.abs((inPage?.[i] ?? NaN) - (expected[i] as number)));
  test.info().annotations.push({ type: 'max |input page − input Node|', description: String(maxInputDiff) });
  expect(maxInputDiff).toBeLessThanOrEqual(1e-6);
  await page.screenshot({ path: 'test-results/parity-inference.png' });
});
