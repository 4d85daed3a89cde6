/**
 * `npm run bench -- web [--studies N] [--size PX] [--backends wasm,webgl,cpu] [--model NAME]
 *   [--cache MB] [--build DIR] [--port P]`
 *
 * The viewer in headless Chromium (a production build served by `vite preview`), per
 * TensorFlow.js backend:
 * - coldMs: page load → first file opened → model fetched, verified, built, warmed → first
 *   score shown (with the page's own marks), in the first page of the freshly launched browser;
 * - coldSettledMs: the same in a fresh context (empty HTTP cache, no service worker) opened
 *   once the browser's process tree has gone quiet (3 runs): headless Chromium loads its omnibox
 *   popup WebUI in a renderer of its own at launch (≈ 1.2 s of CPU here, spent while the first
 *   page loads), which coldMs includes. This is RadLocal opened in a browser already running;
 * - studiesPerSecond: N phantom studies at PX² (`radlocal synth --size PX --seed 11`,
 *   generated once into a cache folder under the OS temp dir) opened at once → all analysed;
 * - peak browser memory while they are triaged: the resident memory (RSS, and PSS which
 *   counts shared pages once) summed over the Chromium process tree this bench launched —
 *   found by PID (children of the browser process), never by name — sampled every 250 ms
 *   (bench/lib/chromium-tree.ts);
 *   also before the files are opened and after triage;
 * - the page's decoded-pixel gauge (bytes, peak, budget) when the build has one;
 * - warm inference / heatmap / preprocess / decode / round-trip medians from the workers;
 * - CPU per study while they are triaged, over every thread of that process tree (from
 *   /proc/<pid>/task), by process type and thread name: where a study's cost goes.
 * - with `--group N`: instead of the above, N small phantoms (64², generated once) opened at
 *   once: seconds until every header is read and grouped (triage runs meanwhile), the longest
 *   main-thread task while they arrive, and the frame times of scrolling the N-row worklist.
 * Targets (issue 14, 2-core machine): cold ≤ 1000 ms, warm ≤ 50 ms, ≥ 10 studies/s at 2048²,
 * peak ≤ 1.5 GB. `--build DIR` measures another build (e.g. the one before a change) with
 * the same harness. Run it alone and report `uptime`'s load with the figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { BUILD_DIR } from '../web/build/build-location.ts';
import { cpuBetween, MemorySampler, newChildren, startPreview, threadCpu } from './lib/chromium-tree.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;

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

/**
 * N phantoms at size², generated once into a cache folder and reused (a cached set of at
 * least N at that size serves the first N).
 */
function phantoms(count: number, size: number): string[] {
  const cache = join(tmpdir(), 'radlocal-bench-cache');
  const larger = existsSync(cache)
    ? readdirSync(cache)
        .map((name) => ({ name, n: Number(new RegExp(`^web-phantoms-${size}-(\\d+)-seed11$`).exec(name)?.[1]) }))
        .filter((d) => d.n >= count && existsSync(join(cache, d.name, 'labels.csv')))
        .sort((a, b) => a.n - b.n)[0]
    : undefined;
  const dir = join(cache, larger?.name ?? `web-phantoms-${size}-${count}-seed11`);
  const labels = join(dir, 'labels.csv');
  if (!existsSync(labels)) {
    process.stderr.write(`generating ${count} phantoms at ${size}² into ${dir} (once)…\n`);
    execFileSync('node', [join(ROOT, 'training', 'bin', 'radlocal.mjs'), 'synth', '--out', dir, '--count', String(count), '--seed', '11', '--size', String(size)], {
      stdio: 'pipe',
    });
  }
  return readFileSync(labels, 'utf8')
    .trim()
    .split('\n')
    .slice(1, count + 1)
    .map((row) => join(dir, row.split(',')[0] as string));
}

interface BackendFigures {
  backend: string;
  chosen?: string;
  error?: string;
  coldMs?: number;
  /** Inside the cold start, ms since navigation start. */
  coldMarksMs?: Record<string, number | undefined>;
  /** Cold start in a fresh context of a browser that has finished starting: each run, the median, and the page's first-score marks. */
  coldSettledMs?: { runs: number[]; median: number; firstScoreMarks: number[]; quietAfterMs: number[] };
  warmInferenceMs?: number;
  heatmapMs?: number;
  preprocessMs?: number;
  roundTripMs?: number;
  decodeMs?: number;
  modelLoadMs?: number;
  studiesPerSecond?: number;
  studies?: number;
  memoryMB?: { beforeOpenRss: number; peakRss: number; peakPss: number; afterTriageRss: number; processes: number };
  decodedPixelsMB?: { peak: number; budget: number } | undefined;
  /** CPU per study while the worklist was triaged, ms: all Chromium threads, and by process type/thread name. */
  cpuPerStudyMs?: { total: number; byThread: Record<string, number> };
}

const mb = (bytes: number): number => Math.round(bytes / MB);

/** The viewer's address with the bench's choice of backend, model and cache. */
function appUrl(base: string, backend: string, model: string, cache: string | undefined): string {
  return `${base}/#backend=${backend}&model=${model}${cache ? `&cache=${cache}` : ''}`;
}

/** Opens the app, then `first`: wall ms from navigation to the first score shown, and the page's marks; or the model's error. */
async function coldStart(page: Page, url: string, first: string): Promise<{ coldMs: number; marks: Record<string, number | undefined> } | { error: string }> {
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('file-input').setInputFiles([first]);
  const outcome = await Promise.race([
    page.locator('[data-testid^="score-"]').first().waitFor({ timeout: 120_000 }).then(() => 'score' as const),
    page.getByTestId('model-error').waitFor({ timeout: 120_000 }).then(() => 'error' as const),
  ]);
  if (outcome === 'error') return { error: (await page.getByTestId('model-error').textContent()) ?? 'model error' };
  const coldMs = Date.now() - t0;
  const marks = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { domContentLoaded: nav?.domContentLoadedEventEnd, load: nav?.loadEventEnd, ...window.__radlocal?.marks() };
  });
  return { coldMs, marks };
}

/**
 * Waits until the browser's process tree has been quiet — under 5 % of one core — for half a
 * second (at most 20 s). @returns ms waited
 */
async function quiet(pid: number): Promise<number> {
  const start = Date.now();
  let calm = 0;
  for (let last = threadCpu(pid); Date.now() - start < 20_000 && calm < 2; ) {
    await new Promise((r) => setTimeout(r, 250));
    const now = threadCpu(pid);
    calm = cpuBetween(last, now).totalMs < 0.05 * 250 ? calm + 1 : 0;
    last = now;
  }
  return Date.now() - start;
}

/** Cold starts in fresh contexts of a browser that has finished starting (see coldSettledMs). */
async function settledColdStarts(browser: Browser, pid: number, url: string, first: string, runs: number): Promise<BackendFigures['coldSettledMs']> {
  const times: number[] = [];
  const firstScoreMarks: number[] = [];
  const quietAfterMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const page = await context.newPage();
      quietAfterMs.push(await quiet(pid));
      const cold = await coldStart(page, url, first);
      if ('error' in cold) return undefined;
      times.push(cold.coldMs);
      firstScoreMarks.push(Math.round(cold.marks.firstScore ?? NaN));
    } finally {
      await context.close();
    }
  }
  return { runs: times, median: median(times), firstScoreMarks, quietAfterMs };
}

async function measure(browser: Browser, sampler: MemorySampler, base: string, backend: string, model: string, cache: string | undefined, files: string[]): Promise<BackendFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    const cold = await coldStart(page, appUrl(base, backend, model, cache), files[0] as string);
    if ('error' in cold) return { backend, error: cold.error };
    const { coldMs, marks } = cold;
    const chosen = (await page.getByTestId('backend').getAttribute('data-backend')) ?? undefined;

    // Worklist: the rest opened at once (first study already analysed).
    const rest = files.slice(1);
    const before = sampler.sample();
    const cpuBefore = threadCpu(sampler.pid);
    sampler.start();
    const t1 = Date.now();
    await page.getByTestId('file-input').setInputFiles(rest);
    await page.getByTestId('worklist-progress-text').filter({ hasText: `${files.length}/${files.length} analysed` }).waitFor({ timeout: 3_600_000 });
    const seconds = (Date.now() - t1) / 1000;
    sampler.stop();
    const cpu = cpuBetween(cpuBefore, threadCpu(sampler.pid));
    const after = sampler.sample();
    const timings = (await page.evaluate(() => window.__radlocal?.timings() ?? [])).slice(1);
    const decodes = await page.evaluate(() => window.__radlocal?.decodeTimings() ?? []);
    const modelLoadMs = await page.evaluate(() => window.__radlocal?.modelLoadMs());
    const gauge = await page.evaluate(() => (window.__radlocal && 'decodedBytes' in window.__radlocal ? window.__radlocal.decodedBytes() : undefined));
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
      memoryMB: { beforeOpenRss: mb(before.rss), peakRss: mb(sampler.peakRss), peakPss: mb(sampler.peakPss), afterTriageRss: mb(after.rss), processes: after.processes },
      decodedPixelsMB: gauge ? { peak: mb(gauge.peak), budget: mb(gauge.budget) } : undefined,
      cpuPerStudyMs: {
        total: round(cpu.totalMs / rest.length),
        byThread: Object.fromEntries(Object.entries(cpu.byThread).filter(([, ms]) => ms / rest.length >= 0.5).map(([name, ms]) => [name, round(ms / rest.length)])),
      },
    };
  } finally {
    await context.close();
  }
}

/** Opens `files` at once: grouping time, longest main-thread task, and frame times scrolling the worklist. */
async function measureGrouping(browser: Browser, base: string, model: string, files: string[]): Promise<Record<string, number>> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(`${base}/#backend=wasm&model=${model}`);
    await page.evaluate(() => {
      const w = window as unknown as { longest: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('worklist-progress-text').filter({ hasText: new RegExp(`^\\d+/${files.length} analysed$`) }).waitFor({ timeout: 3_600_000 });
    const groupSeconds = (Date.now() - t0) / 1000;
    const longestTaskMs = await page.evaluate(() => (window as unknown as { longest: number }).longest);
    // Scroll the worklist from top to bottom in steps, one per frame; frame-to-frame times.
    const frames = await page.getByTestId('worklist-rows').evaluate(async (el) => {
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        el.scrollTop = (el.scrollHeight * i) / 120;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      files: files.length,
      groupSeconds: round(groupSeconds),
      filesPerSecond: round(files.length / groupSeconds),
      longestTaskMs: Math.round(longestTaskMs),
      scrollFrameMsMedian: round(median(frames)),
      scrollFrameMsP95: round(sorted[Math.floor(sorted.length * 0.95)] as number),
    };
  } finally {
    await page.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const studies = Number(option(args, '--studies', '100'));
  const size = Number(option(args, '--size', '512'));
  const backends = option(args, '--backends', 'wasm').split(',');
  const model = basename(option(args, '--model', 'chest-phantom'));
  const cache = args.includes('--cache') ? option(args, '--cache', '256') : undefined;
  const buildDir = resolve(ROOT, option(args, '--build', BUILD_DIR));
  const port = Number(option(args, '--port', '4186'));
  if (!existsSync(join(buildDir, 'index.html'))) {
    execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, RADLOCAL_BUILD_DIR: buildDir } });
  }
  if (!existsSync(join(buildDir, 'models', model, 'model-card.json'))) {
    throw new Error(`Expected the model ${model} in the build (${buildDir}/models/${model}); run npx vite build with models/${model} present.`);
  }
  const group = args.includes('--group') ? Number(option(args, '--group', '10000')) : undefined;
  const files = group ? phantoms(group, 64) : phantoms(studies + 1, size);
  const loadBefore = loadavg().map(round);
  const preview = await startPreview(ROOT, buildDir, port);
  // A local launch (not launchServer + connect): over a connection Playwright streams every
  // file given to setInputFiles through its socket into temp files before the page sees any
  // (1.4 GB for 200 studies at 2048², timed as triage); a local browser gets the paths.
  // The browser is the one new child of this process: its process tree is what this run costs.
  const before = newChildren(process.pid, []);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const launched = newChildren(process.pid, before);
  if (launched.length !== 1) throw new Error(`Expected one new browser process, but found ${launched.length} (${launched.join(', ')}).`);
  const sampler = new MemorySampler(launched[0] as number);
  const results: BackendFigures[] = [];
  try {
    if (group) {
      const figures = await measureGrouping(browser, `http://127.0.0.1:${port}`, model, files);
      process.stdout.write(`${JSON.stringify({ bench: 'web', mode: 'group', build: buildDir, load: { before: loadBefore, after: loadavg().map(round) }, ...figures }, null, 2)}\n`);
      return;
    }
    for (const backend of backends) {
      const base = `http://127.0.0.1:${port}`;
      const figures = await measure(browser, sampler, base, backend, model, cache, files);
      if (!figures.error) {
        const settled = await settledColdStarts(browser, sampler.pid, appUrl(base, backend, model, cache), files[0] as string, 3);
        if (settled) figures.coldSettledMs = settled;
      }
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
  const targets = { coldMs: 1000, warmInferenceMs: 50, studiesPerSecond: 10, peakRssMB: 1536 };
  const load = { before: loadBefore, after: loadavg().map(round) };
  process.stdout.write(`${JSON.stringify({ bench: 'web', build: buildDir, model, studies, size, targets, load, results, ratios }, null, 2)}\n`);
}
