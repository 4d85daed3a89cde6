/**
 * The viewer against a real PACS: Orthanc (auth on, DICOM port off, temporary storage) holding
 * phantoms and real reference files, and RadLocal's own preview server started here with the
 * PACS environment (its own port). The page searches with paging, opens a study over WADO-RS
 * and scores it exactly as the same file opened locally (the page learns at build time that it
 * has a PACS, so this spec builds its own copy next to the suite's), exports the SR (dciodvfy: 0 errors,
 * dsrdump reads it, scores inside = scores on screen), stores it over STOW-RS and finds it with
 * QIDO. Every browser request is same-origin; the server log lists allowed DICOMweb paths only;
 * a non-DICOMweb path is refused. Orthanc and the server are stopped by PID, also on failure.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureExternalFixtures, pydicomDir, REPO_ROOT } from '../fixtures/external-fixtures.ts';
import { orthancAvailable, startOrthanc, type OrthancServer } from '../pacs/orthanc.ts';
import { dciodvfy } from '../helpers/dciodvfy.ts';
import { dsrdump, measurementGroup, readSr } from '../sr-read.ts';
import { BUILD_DIR } from '../../web/build/build-location.ts';
import { MODEL_DIR, MODEL_NAME, modelAvailable } from './helpers/model-under-test.ts';

test.skip(!orthancAvailable() || !modelAvailable(), 'needs Debian orthanc + orthanc-dicomweb and a built model');
test.describe.configure({ mode: 'serial' });

const LABELS = (JSON.parse(readFileSync(join(MODEL_DIR, 'model-card.json'), 'utf8')) as { labels: string[] }).labels;
const PHANTOMS = 36; // images of ~30 studies: more than one page of 25 results
/** The suite's build is made without a PACS; this spec builds its own with one, beside it. */
const PACS_BUILD_DIR = `${BUILD_DIR}-pacs`;
const VITE = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const ALLOWED_PATH = /^\/dicom-web\/(studies|series|instances)(\/[0-9.]+(\/(series|instances|metadata|frames|bulk)(\/[0-9a-f.,]+)?)*)?(\?.*)?$/;

let orthanc: OrthancServer;
let server: ChildProcess | undefined;
let base = '';
let work = '';
const phantomFiles: string[] = [];
const studyOf = new Map<string, string>(); // file → Study Instance UID in the PACS

function freePort(from: number, to: number): Promise<number> {
  const tryPort = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      if (port > to) return reject(new Error(`no free port in ${from}–${to}`));
      const probe = createServer();
      probe.once('error', () => resolve(tryPort(port + 1)));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
    });
  return tryPort(from);
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await ensureExternalFixtures();
  work = mkdtempSync(join(tmpdir(), 'radlocal-pacs-e2e-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs'), 'synth', '--out', join(work, 'phantoms'), '--count', String(PHANTOMS), '--seed', '77', '--size', '256'], { stdio: 'pipe' });
  const rows = readFileSync(join(work, 'phantoms', 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  phantomFiles.push(...rows.map((r) => join(work, 'phantoms', r.split(',')[0] as string)));
  orthanc = await startOrthanc();
  for (const file of [...phantomFiles, join(pydicomDir(), 'CT_small.dcm'), join(pydicomDir(), 'MR_small.dcm')]) {
    const stored = await orthanc.upload(new Uint8Array(readFileSync(file)));
    const study = (await (await fetch(`${orthanc.restUrl}/studies/${stored.ParentStudy}`, { headers: { authorization: orthanc.authorization } })).json()) as { MainDicomTags: { StudyInstanceUID: string } };
    studyOf.set(file, study.MainDicomTags.StudyInstanceUID);
  }
  execFileSync(process.execPath, [VITE, 'build'], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
    env: { ...process.env, RADLOCAL_BUILD_DIR: PACS_BUILD_DIR, RADLOCAL_PACS_URL: 'http://127.0.0.1:9/dicom-web', RADLOCAL_PACS_STOW: '1' },
  });
  const port = await freePort(4210, 4299);
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: REPO_ROOT,
    env: { ...process.env, RADLOCAL_BUILD_DIR: PACS_BUILD_DIR, RADLOCAL_PORT: String(port), RADLOCAL_PACS_URL: orthanc.dicomWebUrl, RADLOCAL_PACS_USER: orthanc.user, RADLOCAL_PACS_PASSWORD: orthanc.password, RADLOCAL_PACS_STOW: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/pacs/status`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error('the PACS-enabled preview server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(async () => {
  await stopServer();
  await orthanc?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function scoresOnScreen(page: Page): Promise<{ scores: Record<string, string>; flagged: string | null }> {
  for (const label of LABELS) await expect(page.getByTestId(`score-${label}`)).toHaveAttribute('data-score', /\d/);
  await expect(page.getByTestId('ood-status')).toHaveAttribute('data-flagged', /true|false/);
  const scores: Record<string, string> = {};
  for (const label of LABELS) scores[label] = (await page.getByTestId(`score-${label}`).getAttribute('data-score')) ?? '';
  return { scores, flagged: await page.getByTestId('ood-status').getAttribute('data-flagged') };
}

test('search with paging, open over WADO-RS, same scores as the local file, SR exported and stored, found with QIDO; same-origin only', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: base, acceptDownloads: true });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  await page.goto(`/#model=${MODEL_NAME}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');

  // Search everything: 25 studies on the first page, the rest on the second.
  const totalStudies = new Set(studyOf.values()).size;
  expect(totalStudies).toBeGreaterThan(25);
  await page.getByTestId('pacs-search').click();
  await expect(page.getByTestId('pacs-study-row')).toHaveCount(25);
  const firstPage = await page.getByTestId('pacs-study-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-study-uid')));
  await page.getByTestId('pacs-next').click();
  await expect(page.getByTestId('pacs-study-row')).toHaveCount(totalStudies - 25);
  const secondPage = await page.getByTestId('pacs-study-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-study-uid')));
  expect(new Set([...firstPage, ...secondPage])).toEqual(new Set(studyOf.values()));

  // Search one patient by ID and open the study.
  const file = phantomFiles[0] as string;
  await page.getByTestId('pacs-patient-id').fill('PH000001');
  await page.getByTestId('pacs-search').click();
  const studiesOfPatient = new Set(phantomFiles.filter((f) => f.includes('PH000001_')).map((f) => studyOf.get(f)));
  await expect(page.getByTestId('pacs-study-row')).toHaveCount(studiesOfPatient.size);
  await page.locator(`[data-testid=pacs-study-row][data-study-uid="${studyOf.get(file)}"]`).click();
  const fromPacs = await scoresOnScreen(page);

  // The same file opened locally in a fresh page: identical scores and verdict.
  const local = await context.newPage();
  await local.goto(`/#model=${MODEL_NAME}`);
  await local.getByTestId('file-input').setInputFiles([file]);
  expect(await scoresOnScreen(local)).toEqual(fromPacs);

  // A real reference file too (pydicom's CT_small, out of distribution): searched by name.
  const ct = join(pydicomDir(), 'CT_small.dcm');
  const ctPage = await context.newPage();
  await ctPage.goto(`/#model=${MODEL_NAME}`);
  await ctPage.getByTestId('pacs-patient-name').fill('CompressedSamples');
  await ctPage.getByTestId('pacs-search').click();
  await expect(ctPage.getByTestId('pacs-study-row')).toHaveCount(2); // CT_small and MR_small
  await ctPage.locator(`[data-testid=pacs-study-row][data-study-uid="${studyOf.get(ct)}"]`).click();
  const ctFromPacs = await scoresOnScreen(ctPage);
  expect(ctFromPacs.flagged).toBe('true');
  await local.reload();
  await local.getByTestId('file-input').setInputFiles([ct]);
  expect(await scoresOnScreen(local)).toEqual(ctFromPacs);
  await ctPage.close();
  await local.close();

  // Export the SR: valid DICOM, the scores on screen inside, the source study referenced.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-sr').click();
  const srPath = join(work, 'exported-sr.dcm');
  await (await downloading).saveAs(srPath);
  expect((await dciodvfy(srPath)).errors).toEqual([]);
  expect(dsrdump(srPath).status).toBe(0);
  const sr = readSr(new Uint8Array(readFileSync(srPath)));
  expect(sr.dataSet.string('x0020000d')).toBe(studyOf.get(file));
  for (const label of LABELS) {
    const score = measurementGroup(sr.root, label)?.children.find((c) => c.name === 'Calibrated probability')?.value;
    expect(score).toBe(Number(fromPacs.scores[label]));
  }

  // Store it in the PACS through the server (STOW-RS), then find it with QIDO.
  await page.getByTestId('send-sr').click();
  await expect(page.getByTestId('sr-status')).toHaveAttribute('data-state', 'stored');
  const sopUid = await page.getByTestId('sr-status').getAttribute('data-sop-instance-uid');
  const found = (await (await fetch(`${base}/dicom-web/studies/${studyOf.get(file)}/instances?SOPInstanceUID=${sopUid}`, { headers: { accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: string[] }>[];
  expect(found.map((i) => [i['00080018']?.Value?.[0], i['00080060']?.Value?.[0]])).toEqual([[sopUid, 'SR']]);

  await page.screenshot({ path: 'test-results/pacs-findings.png' });

  // Opening another study from its row shows it: the in-distribution phantom gives way to the CT.
  expect(fromPacs.flagged).toBe('false');
  await page.getByTestId('pacs-patient-id').fill('');
  await page.getByTestId('pacs-patient-name').fill('CompressedSamples');
  await page.getByTestId('pacs-search').click();
  await page.locator(`[data-testid=pacs-study-row][data-study-uid="${studyOf.get(join(pydicomDir(), 'CT_small.dcm'))}"]`).click();
  await expect(page.getByTestId('ood-status')).toHaveAttribute('data-flagged', 'true');

  // Privacy panel: the verdict accepts the PACS traffic and counts it.
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await expect(page.getByTestId('privacy-verdict')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('privacy-verdict')).toContainText('forwarded to the site');
  // …and shows the server's own log of what it forwarded, without the searched patient ID.
  await expect(page.getByTestId('pacs-log-entry').first()).toBeVisible();
  expect(Number(await page.getByTestId('pacs-log').getAttribute('data-count'))).toBeGreaterThan(4);
  expect(await page.getByTestId('pacs-log').textContent()).not.toContain('PH000001');
  await page.screenshot({ path: 'test-results/pacs-privacy.png' });

  // Every browser request went to this app's origin.
  const foreign = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign).toEqual([]);
  expect(requests.some((u) => u.startsWith(`${base}/dicom-web/studies?`))).toBe(true);

  // The server forwarded allowed DICOMweb paths only, and logged no patient identifier.
  const log = (await (await fetch(`${base}/api/pacs/log`)).json()) as { entries: { method: string; path: string; status: number; outcome: string }[] };
  const forwarded = log.entries.filter((e) => e.outcome === 'forwarded');
  expect(forwarded.length).toBeGreaterThan(4);
  for (const e of forwarded) expect(e.path).toMatch(ALLOWED_PATH);
  expect(forwarded.filter((e) => e.method === 'POST').map((e) => e.path)).toEqual(['/dicom-web/studies']);
  expect(JSON.stringify(log)).not.toContain('PH000001');
  await context.close();
});

test('a non-DICOMweb path is refused, and Orthanc’s REST API is not reachable through the app', async () => {
  for (const path of ['/dicom-web/tools/find', '/dicom-web/system']) {
    const r = await fetch(`${base}${path}`);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('PACS_REFUSED');
  }
  for (const path of ['/instances', '/tools/reset', '/system']) {
    const text = await (await fetch(`${base}${path}`)).text();
    expect(text).not.toContain('RadLocalTestPACS');
    expect(text).not.toMatch(/^\[\s*"[0-9a-f-]{44}"/);
  }
});

test('triage these results opens every study of the query, streaming page by page', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto(`/#model=${MODEL_NAME}`);
  await page.getByTestId('pacs-search').click();
  await expect(page.getByTestId('pacs-study-row')).toHaveCount(25);
  await page.getByTestId('pacs-triage').click();
  await expect(page.getByTestId('pacs-triage-status')).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
  // Every study once (the stored SR joined a phantom's study and is not opened as an image).
  await expect(page.getByTestId('pacs-triage-status')).toHaveAttribute('data-studies', String(new Set(studyOf.values()).size));
  await context.close();
});

test('a study opened twice is held once; the worklist’s cancel stops opening a query for triage', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto(`/#model=${MODEL_NAME}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('pacs-search').click();
  await expect(page.getByTestId('pacs-study-row')).toHaveCount(25);
  const uids = await page.getByTestId('pacs-study-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-study-uid') as string));
  const imagesOf = (uid: string): number => [...studyOf.values()].filter((u) => u === uid).length;
  const [first, second] = uids as [string, string];
  const progress = page.getByTestId('worklist-progress-text');

  // The same study opened twice: its images once in the session (progress counts images).
  const firstRow = page.locator(`[data-testid=pacs-study-row][data-study-uid="${first}"]`);
  await firstRow.click();
  await expect(progress).toHaveText(`${imagesOf(first)}/${imagesOf(first)} analysed`);
  await firstRow.click();
  // Rows are disabled while a study opens, so this one opens after the repeat has finished.
  await page.locator(`[data-testid=pacs-study-row][data-study-uid="${second}"]`).click();
  const both = imagesOf(first) + imagesOf(second);
  await expect(progress).toHaveText(`${both}/${both} analysed`);
  await expect(page.getByTestId('worklist-row')).toHaveCount(2);

  // Triage of the whole query, held at the third study's listing until the worklist cancels.
  let listings = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/dicom-web\/studies\/[0-9.]+\/instances/, async (route) => {
    if (++listings >= 3) await held;
    await route.continue();
  });
  await page.getByTestId('pacs-triage').click();
  await expect.poll(() => listings).toBeGreaterThanOrEqual(3);
  await page.getByTestId('triage-cancel').click();
  release();
  const status = page.getByTestId('pacs-triage-status');
  await expect(status).toHaveAttribute('data-stopped', 'true');
  await expect(status).toHaveAttribute('data-done', 'false');
  expect(Number(await status.getAttribute('data-studies'))).toBe(2);
  // Nothing listed after the cancel.
  expect(listings).toBe(3);
  await context.close();
});

test('without a PACS (the suite’s own build and server): no PACS view, no PACS request at all', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`/#model=${MODEL_NAME}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByTestId('pacs-panel')).toHaveCount(0);
  await expect(page.getByTestId('send-sr')).toHaveCount(0);
  expect(requests.filter((p) => p.startsWith('/dicom-web') || p.startsWith('/api/'))).toEqual([]);
  const r = await page.request.get('/dicom-web/studies');
  expect(r.status()).toBe(404);
  expect(((await r.json()) as { code: string }).code).toBe('PACS_NOT_CONFIGURED');
});
