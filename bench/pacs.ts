/**
 * `npm run bench -- pacs [--studies N] [--size PX] [--warm K] [--port P]`
 *
 * RadLocal against a PACS on loopback: Debian Orthanc + DICOMweb plugin (test/pacs/orthanc.ts,
 * auth on, temporary storage) holding N phantom studies at PX² (`radlocal synth --seed 12`),
 * and the production build served by `vite preview` with the PACS environment. In headless
 * Chromium:
 * - cold: a fresh browser context (no cache) loads the page, searches one patient and opens
 *   the study → first score (ms from navigation; and from the click on the row);
 * - warm: in the same page, K more studies opened one at a time from the PACS → first score
 *   (median ms from the click), side by side with the same files opened from disk (ratio);
 * - triage: "Triage these results" over all N studies → every study scored: studies/s, with
 *   the proxy's bytes and request count; and the same N files opened from disk (ratio).
 * Figures as JSON, with the load average before and after (the machine is shared: compare
 * ratios). Builds its own copy with a PACS (the page learns at build time that it has one)
 * into `--build DIR` (default dist/bench-pacs).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { startOrthanc } from '../test/pacs/orthanc.ts';
import { median, option, round } from './lib/figures.ts';

const ROOT = resolve(import.meta.dirname, '..');

function phantoms(count: number, size: number): { file: string; patientId: string }[] {
  const dir = join(tmpdir(), 'radlocal-bench-cache', `pacs-phantoms-${size}-${count}-seed12`);
  const labels = join(dir, 'labels.csv');
  if (!existsSync(labels)) {
    process.stderr.write(`generating ${count} phantoms at ${size}² into ${dir} (once)…\n`);
    execFileSync('node', [join(ROOT, 'training', 'bin', 'radlocal.mjs'), 'synth', '--out', dir, '--count', String(count), '--seed', '12', '--size', String(size)], { stdio: 'pipe' });
  }
  return readFileSync(labels, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const [file, patientId] = row.split(',');
      return { file: join(dir, file as string), patientId: patientId as string };
    });
}

const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

async function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, ...env, RADLOCAL_PORT: String(port) },
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

async function scoredCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__radlocal?.timings().length ?? 0);
}

/** Waits until the page has `n` finished predictions; @return ms waited. */
async function untilScored(page: Page, n: number, timeoutMs = 600_000): Promise<void> {
  await page.waitForFunction((want) => (window.__radlocal?.timings().length ?? 0) >= want, n, { timeout: timeoutMs, polling: 20 });
}

async function openFromPacs(page: Page, patientId: string): Promise<number> {
  await page.getByTestId('pacs-patient-id').fill(patientId);
  await page.getByTestId('pacs-search').click();
  await page.getByTestId('pacs-study-row').first().waitFor();
  const before = await scoredCount(page);
  const t0 = Date.now();
  await page.getByTestId('pacs-study-row').first().click();
  await untilScored(page, before + 1);
  return Date.now() - t0;
}

export async function run(args: string[]): Promise<void> {
  const count = Number(option(args, '--studies', '100'));
  const size = Number(option(args, '--size', '1024'));
  const warmRuns = Number(option(args, '--warm', '5'));
  const port = Number(option(args, '--port', '4205'));
  const buildDir = option(args, '--build', 'dist/bench-pacs');
  execFileSync(process.execPath, [VITE, 'build'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, RADLOCAL_BUILD_DIR: buildDir, RADLOCAL_PACS_URL: 'http://127.0.0.1:9/dicom-web' } });
  const loadBefore = loadavg();
  const files = phantoms(count, size);
  const orthanc = await startOrthanc();
  let server: ChildProcess | undefined;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const uploadStart = Date.now();
    for (const f of files) await orthanc.upload(new Uint8Array(readFileSync(f.file)));
    const uploadMs = Date.now() - uploadStart;
    server = await startServer(port, { RADLOCAL_BUILD_DIR: buildDir, RADLOCAL_PACS_URL: orthanc.dicomWebUrl, RADLOCAL_PACS_USER: orthanc.user, RADLOCAL_PACS_PASSWORD: orthanc.password });
    const base = `http://127.0.0.1:${port}`;

    // Cold: a fresh context, page load → search → open → first score.
    const cold = await browser.newContext({ baseURL: base });
    const page = await cold.newPage();
    const navStart = Date.now();
    await page.goto('/');
    await page.getByTestId('pacs-search').waitFor();
    const coldFromClickMs = await openFromPacs(page, files[0]?.patientId as string);
    const coldMs = Date.now() - navStart;

    // Warm: more studies from the PACS, and the same files from disk, one at a time.
    const warmPacs: number[] = [];
    const warmLocal: number[] = [];
    for (let i = 1; i <= warmRuns; i++) {
      const f = files[i % files.length] as { file: string; patientId: string };
      warmPacs.push(await openFromPacs(page, f.patientId));
      const before = await scoredCount(page);
      const t0 = Date.now();
      await page.getByTestId('file-input').setInputFiles([f.file]);
      await untilScored(page, before + 1);
      warmLocal.push(Date.now() - t0);
    }
    await cold.close();

    // Triage: every study of a query, streamed page by page.
    const ctx = await browser.newContext({ baseURL: base });
    const triagePage = await ctx.newPage();
    await triagePage.goto('/');
    await triagePage.getByTestId('pacs-search').click();
    await triagePage.getByTestId('pacs-study-row').first().waitFor();
    const logBefore = ((await (await fetch(`${base}/api/pacs/log`)).json()) as { entries: { bytesOut: number }[] }).entries.length;
    const t0 = Date.now();
    await triagePage.getByTestId('pacs-triage').click();
    await untilScored(triagePage, count);
    const triageMs = Date.now() - t0;
    const log = ((await (await fetch(`${base}/api/pacs/log`)).json()) as { entries: { bytesOut: number; outcome: string; method: string; path: string; status: number }[] }).entries.slice(logBefore);
    await ctx.close();

    // The same files opened from disk at once, side by side.
    const localCtx = await browser.newContext({ baseURL: base });
    const localPage = await localCtx.newPage();
    await localPage.goto('/');
    await localPage.getByTestId('pacs-search').waitFor();
    const l0 = Date.now();
    await localPage.getByTestId('file-input').setInputFiles(files.map((f) => f.file));
    await untilScored(localPage, count);
    const localTriageMs = Date.now() - l0;
    await localCtx.close();

    const warmPacsMs = median(warmPacs);
    const warmLocalMs = median(warmLocal);
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'pacs',
          studies: count,
          size,
          uploadMs,
          cold: { firstScoreFromNavigationMs: coldMs, firstScoreFromClickMs: coldFromClickMs },
          warm: { runs: warmRuns, pacsMedianMs: warmPacsMs, localMedianMs: warmLocalMs, pacsOverLocal: round(warmPacsMs / warmLocalMs), pacsMs: warmPacs, localMs: warmLocal },
          triage: {
            studies: count,
            ms: triageMs,
            studiesPerSecond: round((count * 1000) / triageMs),
            localFilesPerSecond: round((count * 1000) / localTriageMs),
            pacsOverLocalTime: round(triageMs / localTriageMs),
            proxiedRequests: log.length,
            proxiedMB: round(log.reduce((n, e) => n + e.bytesOut, 0) / 1024 / 1024),
            refused: log.filter((e) => e.outcome !== 'forwarded').map((e) => `${e.method} ${e.path} ${e.status} ${e.outcome}`),
          },
          load: { before: loadBefore.map(round), after: loadavg().map(round) },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await browser.close();
    if (server?.pid && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    await orthanc.stop();
  }
}
