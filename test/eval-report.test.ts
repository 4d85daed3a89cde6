/**
 * The evaluation report opened in headless Chromium: it must draw every chart from its
 * inline Chart.js, raise no script error and make no request other than loading itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { renderReportHtml } from '../training/src/report/render-report.ts';
import { sampleReportInput } from './helpers/sample-report-input.ts';

describe('HTML evaluation report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    dir = mkdtempSync(join(tmpdir(), 'radlocal-report-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart, loads nothing and shows the figures', async () => {
    const input = sampleReportInput();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(input));
    const page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-charts-ready="true"]');

    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    // Every canvas holds a Chart.js chart with drawn (non-transparent) pixels.
    const canvases = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((canvas) => {
        const context = canvas.getContext('2d');
        const pixels = context ? context.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) drawn++;
        const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: unknown[] } } | undefined } }).Chart.getChart(canvas);
        return { id: canvas.id, drawn, datasets: chart?.data.datasets.length ?? 0 };
      }),
    );
    expect(canvases.map((c) => c.id)).toEqual(['roc-0', 'roc-1', 'roc-2', 'reliability', 'loss', 'auc']);
    for (const canvas of canvases) {
      expect(canvas.drawn, canvas.id).toBeGreaterThan(1000);
      expect(canvas.datasets, canvas.id).toBeGreaterThan(0);
    }
    const kpi = await page.locator('.kpi .value').first().textContent();
    expect(kpi).toBe(input.summary.macroAuc.toFixed(3));
    const images = await page.evaluate(() => Array.from(document.images).map((img) => img.naturalWidth));
    expect(images).toEqual(new Array(8).fill(128));
    await page.close();
  });
});
