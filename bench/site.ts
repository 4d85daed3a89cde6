/**
 * `npm run bench -- site [--images N] [--size PX] [--build DIR] [--port P]`
 *
 * "Validate at this site" in headless Chromium on a synthetic shifted site (`radlocal synth
 * --site county --seed 4242`, N images at PX², generated once into a cache folder): images/s
 * of the page's validation (decode → infer → keep only scores, then the statistics), and the
 * peak resident memory (RSS / PSS summed over the Chromium process tree, sampled every
 * 250 ms) against the memory before the folder was opened — bounded memory means the peak
 * does not grow with N. Side by side: `radlocal calibrate` on the same folder in Node (same
 * WASM backend), as a ratio. Run it alone and report `uptime`'s load with the figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { MemorySampler, startPreview } from './lib/chromium-tree.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'training', 'bin', 'radlocal.mjs');
const MB = 1024 * 1024;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
}

const round = (v: number): number => Math.round(v * 10) / 10;
const mb = (bytes: number): number => Math.round(bytes / MB);

/** The county site, generated once per (count, size). */
function site(count: number, size: number): string {
  const dir = join(tmpdir(), 'radlocal-bench-cache', `site-county-${size}-${count}-seed4242`, 'county');
  if (!existsSync(join(dir, 'labels.csv'))) {
    process.stderr.write(`generating ${count} county phantoms at ${size}² into ${dir} (once)…\n`);
    execFileSync('node', [BIN, 'synth', '--out', dir, '--count', String(count), '--seed', '4242', '--size', String(size), '--site', 'county'], { stdio: 'pipe' });
  }
  return dir;
}

export async function run(args: string[]): Promise<void> {
  const images = Number(option(args, '--images', '1000'));
  const size = Number(option(args, '--size', '512'));
  const buildDir = resolve(ROOT, option(args, '--build', 'dist/site'));
  const port = Number(option(args, '--port', '4214'));
  if (!existsSync(join(buildDir, 'index.html'))) {
    execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, RADLOCAL_BUILD_DIR: buildDir } });
  }
  const data = site(images, size);
  const loadBefore = loadavg().map(round);

  // Node: radlocal calibrate on the same folder, same backend.
  const t0 = performance.now();
  execFileSync('node', [BIN, 'calibrate', '--model', join(ROOT, 'models', 'chest-phantom'), '--data', data, '--out', join(tmpdir(), 'radlocal-bench-site.json'), '--backend', 'wasm', '--json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const cliSeconds = (performance.now() - t0) / 1000;

  const preview = await startPreview(ROOT, buildDir, port);
  const server = await chromium.launchServer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const browser = await chromium.connect(server.wsEndpoint());
  const sampler = new MemorySampler(server.process().pid as number);
  let page: Record<string, unknown>;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${port}/#model=chest-phantom&backend=wasm`);
    await tab.getByTestId('model-status').and(tab.locator('[data-state="ready"]')).waitFor({ timeout: 120_000 });
    await tab.getByTestId('site-validation-open').click();
    const before = sampler.sample();
    sampler.start();
    const opened = performance.now();
    await tab.getByTestId('site-folder-input').setInputFiles(data);
    await tab.locator(`[data-testid="site-folder-summary"][data-images="${images}"]`).waitFor({ timeout: 120_000 });
    const started = performance.now();
    await tab.getByTestId('site-validate').click();
    await tab.getByTestId('site-validation-result').waitFor({ timeout: 3_600_000 });
    const validated = performance.now();
    await tab.getByTestId('site-recalibrate').click();
    await tab.getByTestId('site-recalibration').waitFor();
    const recalibrated = performance.now();
    sampler.stop();
    const after = sampler.sample();
    const heap = await tab.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
    const seconds = (validated - started) / 1000;
    page = {
      openFolderSeconds: round((started - opened) / 1000),
      validateSeconds: round(seconds),
      imagesPerSecond: round(images / seconds),
      recalibrateSeconds: round((recalibrated - validated) / 1000),
      memoryMB: { beforeRss: mb(before.rss), peakRss: mb(sampler.peakRss), peakPss: mb(sampler.peakPss), afterRss: mb(after.rss), processes: after.processes, pageJsHeapAfter: heap === null ? null : mb(heap) },
    };
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    if (preview.pid) process.kill(-preview.pid);
  }
  const cli = { calibrateSeconds: round(cliSeconds), imagesPerSecond: round(images / cliSeconds) };
  const ratios = { pageOverCliImagesPerSecond: round((page.imagesPerSecond as number) / cli.imagesPerSecond) };
  const load = { before: loadBefore, after: loadavg().map(round) };
  process.stdout.write(`${JSON.stringify({ bench: 'site', images, size, data, load, page, cli, ratios }, null, 2)}\n`);
}
