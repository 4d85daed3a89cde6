/**
 * `npm run bench -- web [--studies N] [--backends wasm,webgl,cpu] [--model DIR]`
 *
 * The viewer in headless Chromium (production build, served by `vite preview` on port 4186),
 * per TensorFlow.js backend:
 * - coldMs: page load → file opened → model fetched, verified, built, warmed → first score shown;
 * - warmInferenceMs / heatmapMs: medians over the worklist run, measured in the worker
 *   (model forward pass; CAM for every label + OOD + calibration);
 * - studiesPerSecond: N phantom studies (synth --seed 11) opened at once → all analysed;
 * - also medians of preprocess, decode (decode worker) and page → worker → page round trip,
 *   and the model load inside the cold start (fetch + sha256 verify + build + warm-up).
 * Targets on a 2-core machine: cold ≤ 1000 ms, warm ≤ 50 ms, heatmap ≤ 50 ms, ≥ 20 studies/s.
 * Run it alone: `flock /tmp/radlocal-e2e.lock npm run bench -- web` (one preview at a time).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { BUILD_DIR } from '../web/build/build-location.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = 4186;
const BASE = `http://127.0.0.1:${PORT}`;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function phantoms(count: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'radlocal-bench-web-'));
  execFileSync('node', [join(ROOT, 'training', 'bin', 'radlocal.mjs'), 'synth', '--out', dir, '--count', String(count), '--seed', '11'], { stdio: 'pipe' });
  return readFileSync(join(dir, 'labels.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => join(dir, row.split(',')[0] as string));
}

async function startPreview(): Promise<ChildProcess> {
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${BASE}`);
}

interface BackendFigures {
  backend: string;
  chosen?: string;
  error?: string;
  coldMs?: number;
  /** Inside the cold start, ms since navigation start. */
  coldMarksMs?: Record<string, number | undefined>;
  warmInferenceMs?: number;
  heatmapMs?: number;
  preprocessMs?: number;
  roundTripMs?: number;
  decodeMs?: number;
  modelLoadMs?: number;
  studiesPerSecond?: number;
  studies?: number;
}

async function measure(browser: Browser, backend: string, model: string, files: string[]): Promise<BackendFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    const first = files[0] as string;
    const t0 = Date.now();
    await page.goto(`${BASE}/#backend=${backend}&model=${model}`);
    await page.getByTestId('file-input').setInputFiles([first]);
    const outcome = await Promise.race([
      page.locator('[data-testid^="score-"]').first().waitFor({ timeout: 120_000 }).then(() => 'score' as const),
      page.getByTestId('model-error').waitFor({ timeout: 120_000 }).then(() => 'error' as const),
    ]);
    if (outcome === 'error') return { backend, error: (await page.getByTestId('model-error').textContent()) ?? 'model error' };
    const coldMs = Date.now() - t0;
    const marks = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { domContentLoaded: nav?.domContentLoadedEventEnd, load: nav?.loadEventEnd, ...window.__radlocal?.marks() };
    });
    const chosen = (await page.getByTestId('backend').getAttribute('data-backend')) ?? undefined;

    // Worklist: the rest opened at once (first study already analysed).
    const rest = files.slice(1);
    const t1 = Date.now();
    await page.getByTestId('file-input').setInputFiles(rest);
    await page.getByTestId('worklist-progress-text').filter({ hasText: `${files.length}/${files.length} analysed` }).waitFor({ timeout: 600_000 });
    const seconds = (Date.now() - t1) / 1000;
    const timings = (await page.evaluate(() => window.__radlocal?.timings() ?? [])).slice(1);
    const decodes = await page.evaluate(() => window.__radlocal?.decodeTimings() ?? []);
    const modelLoadMs = await page.evaluate(() => window.__radlocal?.modelLoadMs());
    return {
      backend,
      chosen,
      coldMs,
      coldMarksMs: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v === undefined ? undefined : Math.round(v)])),
      warmInferenceMs: round(median(timings.map((t) => t.inferenceMs))),
      heatmapMs: round(median(timings.map((t) => t.heatmapMs))),
      preprocessMs: round(median(timings.map((t) => t.preprocessMs))),
      roundTripMs: round(median(timings.map((t) => t.wallMs))),
      decodeMs: round(median(decodes)),
      modelLoadMs: modelLoadMs === undefined ? undefined : round(modelLoadMs),
      studiesPerSecond: round(rest.length / seconds),
      studies: rest.length,
    };
  } finally {
    await context.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const studies = Number(option(args, '--studies', '100'));
  const backends = option(args, '--backends', 'wasm,webgl,cpu').split(',');
  const model = basename(option(args, '--model', 'chest-phantom'));
  if (!existsSync(join(BUILD_DIR, 'index.html'))) execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(BUILD_DIR, 'models', model, 'model-card.json'))) {
    throw new Error(`Expected the model ${model} in the build (${BUILD_DIR}/models/${model}); run npx vite build with models/${model} present.`);
  }
  const files = phantoms(studies + 1);
  const preview = await startPreview();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const results: BackendFigures[] = [];
  try {
    for (const backend of backends) {
      const figures = await measure(browser, backend, model, files);
      results.push(figures);
      process.stderr.write(`${JSON.stringify(figures)}\n`);
    }
  } finally {
    await browser.close();
    if (preview.pid) process.kill(-preview.pid);
  }
  const wasm = results.find((r) => r.backend === 'wasm');
  const ratios = Object.fromEntries(
    results
      .filter((r) => r.backend !== 'wasm' && r.warmInferenceMs && wasm?.warmInferenceMs)
      .map((r) => [`${r.backend}WarmOverWasm`, round((r.warmInferenceMs as number) / (wasm?.warmInferenceMs as number))]),
  );
  const targets = { coldMs: 1000, warmInferenceMs: 50, heatmapMs: 50, studiesPerSecond: 20 };
  process.stdout.write(`${JSON.stringify({ bench: 'web', model, studies, targets, results, ratios }, null, 2)}\n`);
}
