import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { inputToGrey, overlayCam, pngDataUrl } from './image-encoding.ts';

describe('inputToGrey', () => {
  it('undoes (v − mean) / std and clamps to 0–255', () => {
    // mean 0.5, std 0.25: v = −2 → 0 → 0; v = 0 → 0.5 → 128 (127.5 rounds up); v = 2 → 1 → 255; v = 9 → clamped 255.
    const grey = inputToGrey([-2, 0, 2, 9], 2, 2, { mean: 0.5, std: 0.25 });
    expect(Array.from(grey.data)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('refuses an input of the wrong size', () => {
    expect(() => inputToGrey([0, 0, 0], 2, 2, { mean: 0, std: 1 })).toThrow('Expected a model input of 2×2 (4 values), but got 3.');
  });
});

describe('overlayCam', () => {
  it('leaves pixels without evidence unchanged and tints the peak with the ramp colour by opacity', () => {
    const base = inputToGrey([0, 0], 2, 1, { mean: 0.5, std: 1 }); // grey 128 everywhere
    const out = overlayCam(base, [0, 1], 0.5);
    expect(Array.from(out.data.subarray(0, 4))).toEqual([128, 128, 128, 255]);
    // peak: opaque red at opacity 0.5 → 128 · 0.5 + (255, 0, 0) · 0.5 = 191.5 → 192, 64, 64.
    expect(Array.from(out.data.subarray(4, 8))).toEqual([192, 64, 64, 255]);
  });
});

describe('pngDataUrl', () => {
  it('round-trips through a PNG decoder', () => {
    const image = overlayCam(inputToGrey([0, 0.25, 0.5, 1], 2, 2, { mean: 0, std: 1 }), [0, 0.3, 0.6, 1]);
    const url = pngDataUrl(image);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = decode(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([2, 2, 4, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(image.data));
  });
});
