/**
 * Hostile input in the real viewer (production build, real decode worker):
 * - tags and a file name carrying HTML/script are shown as inert text;
 * - declared sizes beyond the limit are refused with INPUT_TOO_LARGE before allocation;
 * - a seeded corpus of malformed files never takes the page down, and every file ends in the
 *   same outcome as core's decodeImageFile gives in Node (an image, or the same typed error).
 */
import { expect, test, type Page } from '@playwright/test';
import { decodeImageFile } from '../../core/image/decode-image-file.ts';
import { ERROR_CODES, isRadLocalError } from '../../core/errors/radlocal-error.ts';
import { fuzzCorpus, hugeDimensionsDicom, hugeFrameCountDicom, jpegBombDicom, XSS_VALUES, xssDicom } from '../fixtures/hostile/hostile-dicom.ts';

interface Watch {
  pageErrors: string[];
  dialogs: string[];
}

async function openViewer(page: Page): Promise<Watch> {
  const watch: Watch = { pageErrors: [], dialogs: [] };
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto('/');
  await expect(page.getByTestId('file-input')).toBeAttached();
  return watch;
}

function file(name: string, bytes: Uint8Array): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/dicom', buffer: Buffer.from(bytes) };
}

test('HTML and script in DICOM tags and in the file name are displayed as inert text', async ({ page }) => {
  const watch = await openViewer(page);
  const hostileName = '<img src=x onerror=window.__pwned=6>.dcm';
  await page.getByTestId('file-input').setInputFiles([file(hostileName, xssDicom())]);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  // The patient name is shown, literally, in the study browser.
  await expect(page.getByTestId('study-browser')).toContainText(XSS_VALUES.patientName);
  await page.getByRole('tab', { name: 'Tags' }).click();
  const tags = page.getByTestId('metadata-panel');
  for (const value of Object.values(XSS_VALUES)) await expect(tags).toContainText(value);
  await expect(tags).toContainText(hostileName);

  const dom = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    injectedImages: document.querySelectorAll('img[src="x"], img[onerror]').length,
    iframes: document.querySelectorAll('iframe').length,
    scriptsInBody: [...document.body.querySelectorAll('script')].length,
    handlers: document.querySelectorAll('[onload], [onerror]').length,
    javascriptLinks: document.querySelectorAll('a[href^="javascript:"]').length,
    violations: (window as unknown as { __violations: string[] }).__violations,
  }));
  expect(dom).toEqual({ pwned: null, injectedImages: 0, iframes: 0, scriptsInBody: 0, handlers: 0, javascriptLinks: 0, violations: [] });
  expect(watch.dialogs).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
});

test('declared dimensions or frame counts beyond the limit are refused with INPUT_TOO_LARGE; JPEG bombs are refused before decoding', async ({ page }) => {
  const watch = await openViewer(page);
  await page.getByTestId('file-input').setInputFiles([
    file('huge-dimensions.dcm', hugeDimensionsDicom()),
    file('huge-frames.dcm', hugeFrameCountDicom()),
    file('jpeg-bomb-baseline.dcm', jpegBombDicom(0xc0)),
    file('jpeg-bomb-lossless.dcm', jpegBombDicom(0xc3)),
  ]);
  const errors = page.getByTestId('error');
  await expect(errors).toHaveCount(4);
  const byName = (name: string) => errors.filter({ hasText: name });
  await expect(byName('huge-dimensions.dcm')).toHaveAttribute('data-code', 'INPUT_TOO_LARGE');
  await expect(byName('huge-dimensions.dcm')).toContainText('8589672450 bytes');
  await expect(byName('huge-frames.dcm')).toHaveAttribute('data-code', 'INPUT_TOO_LARGE');
  await expect(byName('huge-frames.dcm')).toContainText('100000 frame(s)');
  // The codestream claims 65535 × 65535 inside an 8 × 8 image: refused from its header, nothing decoded.
  for (const name of ['jpeg-bomb-baseline.dcm', 'jpeg-bomb-lossless.dcm']) {
    await expect(byName(name)).toHaveAttribute('data-code', 'DICOM_DECODE_FAILED');
    await expect(byName(name)).toContainText('65535×65535');
  }
  await expect(page.getByTestId('series-item')).toHaveCount(0);
  expect(watch.pageErrors).toEqual([]);
});

const FUZZ_SEED = 20261128;
const FUZZ_COUNT = 300;

test(`a fuzzing run of ${FUZZ_COUNT} malformed files (seed ${FUZZ_SEED}) never takes the page down; each ends as in Node`, async ({ page }) => {
  test.setTimeout(180_000);
  const corpus = fuzzCorpus(FUZZ_SEED, FUZZ_COUNT);
  // What core itself says about each file, in Node: an image or a typed error code.
  const expected = new Map<string, string>();
  for (const c of corpus) {
    try {
      await decodeImageFile(c.bytes);
      expected.set(c.name, 'ok');
    } catch (error) {
      expected.set(c.name, isRadLocalError(error) ? error.code : `UNTYPED ${(error as Error).message}`);
    }
  }
  expect([...expected.values()].filter((v) => v.startsWith('UNTYPED'))).toEqual([]);

  const watch = await openViewer(page);
  await page.getByTestId('file-input').setInputFiles(corpus.map((c) => file(c.name, c.bytes)));
  const expectedErrors = [...expected.values()].filter((v) => v !== 'ok').length;
  const errors = page.getByTestId('error');
  await expect(errors).toHaveCount(expectedErrors, { timeout: 150_000 });
  await expect(page.getByText(/Reading \d+ files?…/)).toHaveCount(0, { timeout: 60_000 });

  const shown = await errors.evaluateAll((items) =>
    items.map((li) => ({ name: li.querySelector('.file-error-name')?.textContent ?? '', code: li.getAttribute('data-code') ?? '', text: li.textContent ?? '' })),
  );
  const actual = new Map(shown.map((s) => [s.name, s.code]));
  for (const c of corpus) expect.soft(actual.get(c.name) ?? 'ok', c.name).toBe(expected.get(c.name));
  for (const s of shown) {
    expect((ERROR_CODES as readonly string[]).includes(s.code), `${s.name}: ${s.code}`).toBe(true);
    expect(s.code, `${s.name}: ${s.text}`).not.toBe('INTERNAL');
    expect(s.text, s.name).not.toContain('Unexpected error');
  }
  // Still responsive: the page evaluates script and the UI reacts to a click.
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await page.getByRole('tab', { name: 'Tags' }).click();
  await expect(page.getByRole('tab', { name: 'Tags' })).toHaveAttribute('aria-selected', 'true');
  expect(watch.pageErrors).toEqual([]);
  console.log(`fuzz: ${FUZZ_COUNT} files, ${FUZZ_COUNT - expectedErrors} images, ${expectedErrors} typed errors: ${JSON.stringify(countBy([...expected.values()]))}`);
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
