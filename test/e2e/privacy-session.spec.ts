/**
 * The proof of "nothing leaves the browser" over a whole session, in the production build:
 * every request of the browser context (page, workers, service worker, with bodies) and every
 * WebSocket is recorded while a user loads the app, opens five files of different transfer
 * syntaxes, gets scores, toggles the heatmap, uses the worklist, exports a report and the audit
 * log, and clears the session. Also: offline use after one visit, storage empty of study data,
 * and a tampered weight shard refused.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { BUILD_DIR } from '../../web/build/build-location.ts';
import { decodeImageFile } from '../../core/image/decode-image-file.ts';
import { daikonDir, pydicomDir, REPO_ROOT } from '../fixtures/external-fixtures.ts';
import { recordNetwork } from './privacy-helpers.ts';

const DIST = BUILD_DIR;
const MANIFEST = JSON.parse(readFileSync(join(DIST, 'precache-manifest.json'), 'utf8')) as { version: string; files: string[] };

/** Five transfer syntaxes: explicit VR LE, RLE, JPEG 2000 lossless, JPEG lossless SV1, deflated. */
const SESSION_FILES = [
  join(pydicomDir(), 'CT_small.dcm'),
  join(pydicomDir(), 'MR_small_RLE.dcm'),
  join(pydicomDir(), 'MR_small_jp2klossless.dcm'),
  join(daikonDir(), 'jpeg_lossless_sel1.dcm'),
  join(daikonDir(), 'deflated.dcm'),
];

/**
 * Plus one synthetic chest phantom (what the default model was trained on): the real CT/MR files
 * are out of distribution, for which the viewer rightly shows no heatmap.
 */
let phantomDir = '';
let phantomFile = '';

test.beforeAll(() => {
  phantomDir = mkdtempSync(join(tmpdir(), 'radlocal-privacy-phantom-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'training/bin/radlocal.mjs'), 'synth', '--out', phantomDir, '--count', '1', '--seed', '777'], { stdio: 'pipe' });
  const first = readFileSync(join(phantomDir, 'labels.csv'), 'utf8').trim().split('\n')[1]?.split(',')[0];
  phantomFile = join(phantomDir, first ?? 'missing');
});

test.afterAll(() => {
  if (phantomDir) rmSync(phantomDir, { recursive: true, force: true });
});

/** Strings that identify a study: file names, UIDs, patient name and ID — none may appear in any URL. */
async function studyIdentifiers(paths: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const path of paths) {
    out.add(uploadName(path).replace(/\.dcm$/, ''));
    const image = await decodeImageFile(new Uint8Array(readFileSync(path)));
    for (const tag of ['00100010', '00100020', '0020000d', '0020000e', '00080018']) {
      const value = image.tags[tag]?.trim();
      if (value && value.length >= 4) out.add(value);
    }
  }
  return [...out];
}

async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[]; __rtc: number };
    w.__violations = [];
    w.__rtc = 0;
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    // WebRTC is invisible to request recording: count any attempt to create a peer connection.
    const Original = window.RTCPeerConnection;
    if (Original) {
      window.RTCPeerConnection = function (this: unknown, ...args: ConstructorParameters<typeof RTCPeerConnection>) {
        w.__rtc++;
        return new Original(...args);
      } as unknown as typeof RTCPeerConnection;
    }
  });
}

async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

/** The name a file is opened under: distinctive (a plain "deflated" also occurs in decoder code), so a leak of it is detectable. */
function uploadName(path: string): string {
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10);
  return `${basename(path).replace(/\.dcm$/, '')}-${digest}.dcm`;
}

async function openFiles(page: Page, paths: readonly string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths.map((path) => ({ name: uploadName(path), mimeType: 'application/dicom', buffer: readFileSync(path) })));
}

async function expectScores(page: Page): Promise<number> {
  const scores = page.locator('[data-testid^="score-"]');
  await expect(scores.first()).toBeVisible({ timeout: 90_000 });
  const values = await scores.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-score'))));
  for (const v of values) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  return values.length;
}

test('a whole session sends nothing but GET requests for the app’s own files, and stores nothing about the study', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL ?? 'http://127.0.0.1:4173').origin;
  const identifiers = await studyIdentifiers([...SESSION_FILES, phantomFile]);
  const context: BrowserContext = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const consoleCsp: string[] = [];
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) consoleCsp.push(m.text());
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await instrument(page);
  const network = recordNetwork(context, page);
  // First load: the app, its service worker (precaching the whole build) and the model. Workers
  // the page started before the service worker took control stay uncontrolled for this visit, so
  // the session starts on the next load, as a user's every later visit does.
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  network.startSession();
  expect((await page.reload())?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });

  // The session.
  const sessionFiles = [...SESSION_FILES, phantomFile];
  await openFiles(page, sessionFiles);
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect(await expectScores(page)).toBeGreaterThan(0);
  // Worklist: every file analysed in the background.
  await expect(page.getByTestId('worklist')).toBeVisible();
  await expect(page.getByTestId('worklist-progress-text')).toContainText(`${sessionFiles.length}/${sessionFiles.length} analysed`, { timeout: 120_000 });
  // Show every series, then the heatmap on the image that is in distribution (the phantom). The
  // verdict is awaited (auto-retrying) after the click: reading it at once could see the previous
  // series' panel before React re-renders.
  const series = page.getByTestId('series-item');
  for (let i = 0; i < (await series.count()); i++) {
    await series.nth(i).click();
    await expectScores(page);
  }
  await series.filter({ hasText: uploadName(phantomFile) }).click();
  await expect(page.getByTestId('ood-status')).toHaveAttribute('data-flagged', 'false');
  const toggle = page.getByTestId('heatmap-toggle');
  await expect(toggle).toBeEnabled();
  const before = await toggle.getAttribute('aria-pressed');
  await toggle.click();
  await expect(toggle).not.toHaveAttribute('aria-pressed', before ?? '');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', before ?? '');
  // Report export: a download made in the browser, no request.
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  const reportText = readFileSync(await report.path(), 'utf8');
  for (const id of identifiers) expect(reportText, `report contains ${id}`).not.toContain(id);

  // The audit panel agrees, and its export holds hashes, never names or tags.
  await page.getByRole('tab', { name: 'Privacy' }).click();
  const audit = page.getByTestId('privacy-audit');
  await expect(audit).toBeVisible();
  await expect(audit.getByTestId('privacy-verdict')).toHaveAttribute('data-ok', 'true');
  await expect(audit.getByTestId('privacy-csp-violations')).toHaveAttribute('data-count', '0');
  await expect(audit.getByTestId('privacy-model')).toHaveAttribute('data-verified', 'true');
  const [download] = await Promise.all([page.waitForEvent('download'), audit.getByTestId('privacy-export').click()]);
  const log = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    openedFiles: { sha256: string }[];
    verdict: { studyDataSent: boolean };
    model: { sha256: string; verified: boolean } | null;
    requests: { url: string }[];
  };
  const expectedHashes = [...SESSION_FILES, phantomFile].map((p) => createHash('sha256').update(readFileSync(p)).digest('hex')).sort();
  expect(log.openedFiles.map((f) => f.sha256).sort()).toEqual(expectedHashes);
  expect(log.verdict.studyDataSent).toBe(false);
  expect(log.model?.verified).toBe(true);
  expect(log.model?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(log.requests.length).toBeGreaterThan(3);
  // The panel hears from the service worker (which sees worker requests too) and from the page.
  expect(new Set(log.requests.map((r) => (r as { source?: string }).source))).toEqual(new Set(['page', 'worker', 'service-worker']));
  const logText = JSON.stringify(log);
  for (const id of identifiers) expect(logText, `audit log contains ${id}`).not.toContain(id);

  // Clear session: nothing about the study stays on screen.
  await audit.getByTestId('privacy-clear-session').click();
  await expect(page.getByTestId('series-item')).toHaveCount(0);
  await expect(page.locator('[data-testid^="score-"]')).toHaveCount(0);

  // Storage: only the app's asset cache, holding exactly the build.
  const storage = await page.evaluate(async (ids) => {
    const cacheContents: Record<string, string[]> = {};
    const identifiersInCache: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const requests = await cache.keys();
      cacheContents[name] = requests.map((r) => new URL(r.url).pathname.slice(1)).sort();
      for (const request of requests) {
        const text = new TextDecoder('latin1').decode(await (await cache.match(request))!.arrayBuffer());
        for (const id of ids) if (text.includes(id)) identifiersInCache.push(`${id} in ${request.url}`);
      }
    }
    return {
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDb: (await indexedDB.databases()).map((d) => d.name),
      cacheContents,
      rtc: (window as unknown as { __rtc: number }).__rtc,
      violations: (window as unknown as { __violations: string[] }).__violations,
      identifiersInCache,
    };
  }, identifiers);
  expect(storage).toEqual({
    localStorage: 0,
    sessionStorage: 0,
    indexedDb: [],
    cacheContents: { [`radlocal-assets-${MANIFEST.version}`]: MANIFEST.files },
    rtc: 0,
    violations: [],
    identifiersInCache: [],
  });

  // The network record.
  const appPaths = new Set(['/', ...MANIFEST.files.map((f) => `/${f}`), '/sw.js']);
  expect(network.websockets).toEqual([]);
  expect(network.requests.length).toBeGreaterThan(3);
  expect(network.requests.some((r) => r.fromServiceWorker), 'the recorder sees the service worker’s own fetches').toBe(true);
  for (const r of network.requests) {
    const url = new URL(r.url);
    expect(url.origin, r.url).toBe(origin);
    expect(r.method, r.url).toBe('GET');
    expect(r.postData, r.url).toBeNull();
    expect(url.search, r.url).toBe('');
    expect(appPaths.has(url.pathname), `${url.pathname} is one of the build's files`).toBe(true);
    for (const id of identifiers) expect(decodeURIComponent(r.url), `URL carries ${id}`).not.toContain(id);
  }
  // After the first load: app files only, and every one answered by the service worker's cache.
  const later = network.requests.filter((r) => r.phase === 'session' && !r.fromServiceWorker);
  for (const r of later) expect(appPaths.has(new URL(r.url).pathname), r.url).toBe(true);
  expect(later.length).toBeGreaterThan(3);
  const laterFromNetwork: string[] = [];
  for (const r of later) if (!(await r.request.response())?.fromServiceWorker()) laterFromNetwork.push(r.url);
  expect(laterFromNetwork).toEqual([]);
  expect(consoleCsp).toEqual([]);
  expect(pageErrors).toEqual([]);
  const bytes = (await Promise.all(network.requests.map(async (r) => (await r.request.sizes()).requestBodySize))).reduce((a, b) => a + b, 0);
  expect(bytes).toBe(0); // not one byte of request body left the page, its workers or the service worker
  console.log(
    `session: ${network.requests.length} requests (${network.requests.filter((r) => r.fromServiceWorker).length} by the service worker), ` +
      `${later.length} after the first load, all answered from the cache; ${log.requests.length} in the audit log; 0 request-body bytes`,
  );
  await context.close();
});

test('after one visit the viewer works offline: reload, open a file, get scores', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await context.setOffline(true);
  try {
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await openFiles(page, [SESSION_FILES[0] ?? '']);
    expect(await expectScores(page)).toBeGreaterThan(0);
    await expect(page.getByTestId('error')).toHaveCount(0);
  } finally {
    await context.setOffline(false);
    await context.close();
  }
});

test('a tampered weight shard is refused with MODEL_INTEGRITY_MISMATCH and no score is shown', async ({ browser }) => {
  test.setTimeout(120_000);
  // Service workers blocked: a cached shard would bypass page.route.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const tampered: string[] = [];
  await page.route(/\/models\/.+\.bin$/, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    const at = Math.floor(body.length / 2);
    body[at] = (body[at] ?? 0) ^ 0xff; // one flipped byte in the middle of the weights
    tampered.push(route.request().url());
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  const status = page.getByTestId('model-status');
  await expect(status).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(status).toHaveAttribute('data-code', 'MODEL_INTEGRITY_MISMATCH');
  expect(tampered.length).toBeGreaterThan(0);
  await openFiles(page, [SESSION_FILES[0] ?? '']);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('model-error')).toHaveAttribute('data-code', 'MODEL_INTEGRITY_MISMATCH');
  await expect(page.getByTestId('model-error')).toBeVisible();
  await expect(page.locator('[data-testid^="score-"]')).toHaveCount(0);
  await expect(page.getByTestId('findings')).toHaveCount(0);
  await context.close();
});
