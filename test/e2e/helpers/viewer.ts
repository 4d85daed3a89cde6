/** Opening files in the viewer and reading what it displays (pixels from screenshots). */
import { expect, type Locator, type Page } from '@playwright/test';
import { decode } from 'fast-png';

/** Loads the viewer and waits until the model has loaded or failed (the banner changes the layout). */
export async function gotoViewer(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', /ready|error/);
}

/** Turns the heatmap overlay off (H) so only the image itself is on screen. */
export async function hideHeatmap(page: Page): Promise<void> {
  await page.keyboard.press('h');
  await expect(page.getByTestId('heatmap-toggle')).toHaveAttribute('aria-pressed', 'false');
}

export async function openFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths);
}

export function viewportCanvas(page: Page): Locator {
  return page.getByTestId('viewport-canvas');
}

/** Waits until the viewport has drawn `imageIdPattern` (default: any image) and returns its render count. */
export async function waitForRender(page: Page, imageIdPattern: RegExp = /^radlocal:/): Promise<number> {
  const canvas = viewportCanvas(page);
  await expect(canvas).toHaveAttribute('data-image-id', imageIdPattern);
  return Number(await canvas.getAttribute('data-renders'));
}

/** Waits until the render count is above `after` (cornerstone renders on the next animation frame). */
export async function waitForRenderAfter(page: Page, after: number): Promise<void> {
  await expect.poll(async () => Number(await viewportCanvas(page).getAttribute('data-renders'))).toBeGreaterThan(after);
}

export interface PixelStats {
  width: number;
  height: number;
  /** Luma (Rec. 601) of every pixel, row-major. */
  luma: Float64Array;
  rgba: Uint8Array;
  mean: number;
  std: number;
  /** Share of pixels whose R, G, B differ by more than 16 (coloured). */
  colouredFraction: number;
}

/** Screenshot of the viewport canvas (what the reader sees), decoded to pixel statistics. */
export async function viewportPixels(page: Page): Promise<PixelStats> {
  // Let a pending resize / re-render land first (cornerstone draws on animation frames).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // Corner annotations are DOM text over the canvas: hide them (through the CSSOM — the CSP
  // refuses injected <style>) so only the rendered image is measured.
  const setOverlay = (visibility: string) =>
    page.evaluate((v) => {
      for (const el of document.querySelectorAll<HTMLElement>('.overlay')) el.style.visibility = v;
    }, visibility);
  await setOverlay('hidden');
  const png = decode(await viewportCanvas(page).locator('canvas').first().screenshot());
  await setOverlay('');
  const { width, height } = png;
  const channels = png.channels;
  const data = png.data as Uint8Array;
  const luma = new Float64Array(width * height);
  const rgba = new Uint8Array(width * height * 4);
  let sum = 0;
  let coloured = 0;
  for (let i = 0; i < width * height; i++) {
    const r = data[i * channels] as number;
    const g = data[i * channels + 1] as number;
    const b = data[i * channels + 2] as number;
    rgba.set([r, g, b, 255], i * 4);
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    luma[i] = y;
    sum += y;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 16) coloured++;
  }
  const mean = sum / luma.length;
  let sq = 0;
  for (const y of luma) sq += (y - mean) ** 2;
  return { width, height, luma, rgba, mean, std: Math.sqrt(sq / luma.length), colouredFraction: coloured / luma.length };
}

/** Mean absolute luma difference between two screenshots of the same size. */
export function meanAbsDiff(a: PixelStats, b: PixelStats): number {
  expect(a.luma.length).toBe(b.luma.length);
  let s = 0;
  for (let i = 0; i < a.luma.length; i++) s += Math.abs((a.luma[i] as number) - (b.luma[i] as number));
  return s / a.luma.length;
}

/** Centroid (canvas pixels) of the coloured pixels: where the heatmap sits on screen. */
export function colouredCentroid(s: PixelStats): { x: number; y: number; n: number } {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const i = (y * s.width + x) * 4;
      const r = s.rgba[i] as number;
      const g = s.rgba[i + 1] as number;
      const b = s.rgba[i + 2] as number;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 16) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return { x: sx / n, y: sy / n, n };
}
