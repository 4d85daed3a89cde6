import { describe, expect, it } from 'vitest';
import { fitGeometry } from './fit-geometry.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from './params.ts';
import { preprocessFrame } from './preprocess-frame.ts';
import { resample } from './resize.ts';
import { createDecodedImage } from '../dicom/decoded-image.ts';
import { expectTypedError } from '../../test/typed-error-code.ts';

const windowed = { windowCenter: [0.5], windowWidth: [1], voiLutFunction: 'LINEAR_EXACT' };

function params(overrides: Partial<PreprocessParams>): PreprocessParams {
  return { ...DEFAULT_PREPROCESS_PARAMS, ...overrides };
}

describe('fitGeometry', () => {
  it('letterboxes a 200×100 (rows×cols) image into 128²: 64 columns wide, centred', () => {
    expect(fitGeometry(200, 100, 128, 128, 'letterbox')).toEqual({
      fit: 'letterbox', sourceRows: 200, sourceColumns: 100, height: 128, width: 128,
      contentHeight: 128, contentWidth: 64, scaleX: 0.64, scaleY: 0.64, offsetX: 32, offsetY: 0,
    });
  });

  it('centre-crops a 200×100 image into 128²: 256 rows tall, 64 cut top and bottom', () => {
    expect(fitGeometry(200, 100, 128, 128, 'center-crop')).toEqual({
      fit: 'center-crop', sourceRows: 200, sourceColumns: 100, height: 128, width: 128,
      contentHeight: 256, contentWidth: 128, scaleX: 1.28, scaleY: 1.28, offsetX: 0, offsetY: -64,
    });
  });
});

describe('resample', () => {
  it('is the identity at scale 1', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i * 0.1);
    expect(Array.from(resample(src, fitGeometry(3, 4, 3, 4, 'letterbox'), 0))).toEqual(Array.from(src));
  });

  it('keeps a constant image constant when shrinking by a non-integer factor', () => {
    const src = new Float32Array(300 * 257).fill(0.3);
    const out = resample(src, fitGeometry(300, 257, 64, 64, 'center-crop'), 0);
    for (const v of out) expect(v).toBeCloseTo(0.3, 6);
  });

  it('averages a one-pixel checkerboard to 0.5 (antialiasing)', () => {
    const n = 512;
    const src = Float32Array.from({ length: n * n }, (_, i) => ((i % n) + Math.floor(i / n)) % 2);
    const out = resample(src, fitGeometry(n, n, 128, 128, 'letterbox'), 0);
    let worst = 0;
    for (const v of out) worst = Math.max(worst, Math.abs(v - 0.5));
    expect(worst).toBeLessThan(0.01);
  });

  it('averages 2×2 blocks exactly when halving a block pattern', () => {
    // 4×4 source, 2×2 output: triangle weights over 4 taps (0.125, 0.375, 0.375, 0.125) per axis, clipped at the edges.
    const src = Float32Array.from([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
    const out = resample(src, fitGeometry(4, 4, 2, 2, 'letterbox'), 0);
    // Output (0,0): taps at 0,1,2 with weights 0.375,0.375,0.125 (normalised by 0.875) per axis.
    const w = [0.375 / 0.875, 0.375 / 0.875, 0.125 / 0.875];
    const srcAt = (r: number, c: number) => src[r * 4 + c] as number;
    let expected = 0;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expected += (w[r] as number) * (w[c] as number) * srcAt(r, c);
    expect(out[0]).toBeCloseTo(expected, 6);
    expect(out[0]).toBeCloseTo(out[3] as number, 6);
    expect(out[1]).toBeCloseTo(1 - expected, 6);
  });
});

describe('preprocessFrame', () => {
  it('letterbox: content normalised, bars hold padValue', () => {
    const image = createDecodedImage(200, 100, [new Float32Array(200 * 100).fill(0.75)], windowed);
    const out = preprocessFrame(image, 0, params({ mean: 0.5, std: 0.25, padValue: -9 }));
    expect(out.height).toBe(128);
    expect(out.data.length).toBe(128 * 128);
    expect(out.geometry.offsetX).toBe(32);
    for (let r = 0; r < 128; r++) {
      for (let c = 0; c < 128; c++) {
        const v = out.data[r * 128 + c] as number;
        if (c < 32 || c >= 96) expect(v).toBe(-9);
        else expect(v).toBeCloseTo(1, 5); // (0.75 - 0.5) / 0.25
      }
    }
  });

  it('maps a bright spot to where the geometry says (heatmap back-mapping)', () => {
    const rows = 400;
    const cols = 300;
    const pixels = new Uint16Array(rows * cols);
    const spot = { r: 100, c: 250 };
    for (let r = spot.r - 4; r < spot.r + 4; r++) for (let c = spot.c - 4; c < spot.c + 4; c++) pixels[r * cols + c] = 1000;
    const out = preprocessFrame(createDecodedImage(rows, cols, [pixels]), 0, params({ voi: 'percentile', percentileLow: 0, percentileHigh: 100 }));
    let best = 0;
    for (let i = 1; i < out.data.length; i++) if ((out.data[i] as number) > (out.data[best] as number)) best = i;
    const g = out.geometry;
    const expectedX = spot.c * g.scaleX + g.offsetX;
    const expectedY = spot.r * g.scaleY + g.offsetY;
    expect(Math.abs((best % 128) + 0.5 - expectedX)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.floor(best / 128) + 0.5 - expectedY)).toBeLessThanOrEqual(1);
  });

  it('gives identical floats on repeated calls (deterministic)', () => {
    const pixels = Uint16Array.from({ length: 333 * 222 }, (_, i) => (i * 7919) % 4096);
    const image = createDecodedImage(333, 222, [pixels], { photometricInterpretation: 'MONOCHROME1' });
    const a = preprocessFrame(image, 0, DEFAULT_PREPROCESS_PARAMS);
    const b = preprocessFrame(image, 0, DEFAULT_PREPROCESS_PARAMS);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(a.inverted).toBe(true);
  });

  it('rejects invalid parameters with PREPROCESS_INVALID_PARAMS', async () => {
    const image = createDecodedImage(2, 2, [new Uint16Array(4)]);
    await expectTypedError(() => preprocessFrame(image, 0, params({ std: 0 })), 'PREPROCESS_INVALID_PARAMS', 'std');
    await expectTypedError(() => preprocessFrame(image, 0, params({ percentileLow: 50, percentileHigh: 50 })), 'PREPROCESS_INVALID_PARAMS');
  });
});
