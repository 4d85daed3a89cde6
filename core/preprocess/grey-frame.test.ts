import { describe, expect, it } from 'vitest';
import { greyFrame } from './grey-frame.ts';
import { DEFAULT_PREPROCESS_PARAMS } from './params.ts';
import { storedHistogram, percentileOf } from './stored-histogram.ts';
import { createDecodedImage } from '../dicom/decoded-image.ts';
import { expectTypedError } from '../../test/typed-error-code.ts';

const P = DEFAULT_PREPROCESS_PARAMS;

describe('greyFrame: modality LUT → VOI → MONOCHROME1 → grey', () => {
  it('applies rescale before the file window (CT-like HU)', () => {
    // stored 0, 1024, 1064, 2048 with slope 1, intercept -1024 → HU -1024, 0, 40, 1024.
    const image = createDecodedImage(1, 4, [Uint16Array.from([0, 1024, 1064, 2048])], {
      rescaleIntercept: -1024,
      windowCenter: [40],
      windowWidth: [400],
      voiLutFunction: 'LINEAR_EXACT',
    });
    const g = greyFrame(image, 0, P);
    expect(Array.from(g.data)).toEqual([0, Math.fround(0.4), 0.5, 1]);
    expect(g.window).toEqual({ center: 40, width: 400, source: 'file-window', voiFunction: 'LINEAR_EXACT' });
    expect(g.inverted).toBe(false);
  });

  it('applies a rescale slope (stored × 2 − 100) and a signed frame', () => {
    const image = createDecodedImage(1, 3, [Int16Array.from([-50, 50, 150])], {
      rescaleSlope: 2,
      rescaleIntercept: -100,
      windowCenter: [0],
      windowWidth: [800],
      voiLutFunction: 'LINEAR_EXACT',
    });
    // modality values -200, 0, 200 → (x / 800 + 0.5)
    expect(Array.from(greyFrame(image, 0, P).data)).toEqual([0.25, 0.5, 0.75]);
  });

  it('inverts MONOCHROME1 after the VOI', () => {
    const pixels = Uint16Array.from([0, 1024, 1064, 2048]);
    const tags = { rescaleIntercept: -1024, windowCenter: [40], windowWidth: [400], voiLutFunction: 'LINEAR_EXACT' };
    const m2 = greyFrame(createDecodedImage(1, 4, [pixels], tags), 0, P);
    const m1 = greyFrame(createDecodedImage(1, 4, [pixels], { ...tags, photometricInterpretation: 'MONOCHROME1' }), 0, P);
    expect(m1.inverted).toBe(true);
    expect(Array.from(m1.data)).toEqual(Array.from(m2.data).map((v) => Math.fround(1 - v)));
  });

  it('falls back to the percentile window when the file has no window', () => {
    // values 0..99: p0.5 → rank 1 → 0; p99.5 → rank 100 → 99 (LINEAR_EXACT, centre 49.5, width 99)
    const pixels = Uint16Array.from({ length: 100 }, (_, i) => i);
    const g = greyFrame(createDecodedImage(10, 10, [pixels]), 0, P);
    expect(g.window).toEqual({ center: 49.5, width: 99, source: 'percentile', voiFunction: 'LINEAR_EXACT' });
    expect(g.data[0]).toBe(0);
    expect(g.data[99]).toBe(1);
    expect(g.data[50]).toBe(Math.fround(0.5 / 99 + 0.5));
  });

  it('percentile window with 1/99 percentiles ignores outliers and follows the rescale', () => {
    const pixels = Uint16Array.from({ length: 100 }, (_, i) => i);
    pixels[99] = 60000; // one hot pixel
    const h = storedHistogram(pixels);
    expect(percentileOf(h, 1)).toBe(0); // rank 1
    expect(percentileOf(h, 99)).toBe(98); // rank 99
    const image = createDecodedImage(10, 10, [pixels], { rescaleSlope: 2, rescaleIntercept: 10 });
    const g = greyFrame(image, 0, { voi: 'percentile', percentileLow: 1, percentileHigh: 99 });
    expect(g.window.center).toBe((10 + 206) / 2);
    expect(g.window.width).toBe(196);
    expect(g.data[99]).toBe(1);
  });

  it("voi 'percentile' ignores the file window; a negative slope swaps the ends", () => {
    const pixels = Uint16Array.from({ length: 100 }, (_, i) => i);
    const image = createDecodedImage(10, 10, [pixels], { rescaleSlope: -1, windowCenter: [5], windowWidth: [10] });
    const g = greyFrame(image, 0, { voi: 'percentile', percentileLow: 0.5, percentileHigh: 99.5 });
    expect(g.window).toMatchObject({ center: -49.5, width: 99, source: 'percentile' });
    expect(g.data[0]).toBe(1); // stored 0 → modality 0, the top of the window
    expect(g.data[99]).toBe(0);
  });

  it('a constant image maps to 0.5', () => {
    const g = greyFrame(createDecodedImage(4, 4, [new Uint16Array(16).fill(700)]), 0, P);
    expect(Array.from(new Set(g.data))).toEqual([0.5]);
  });

  it('uses the VOI LUT Sequence when there is no window', () => {
    const voiLut = { firstValueMapped: 100, bitsPerEntry: 8, data: Uint16Array.from([0, 255, 51]) };
    const g = greyFrame(createDecodedImage(1, 4, [Uint16Array.from([0, 100, 101, 102])], { voiLut }), 0, P);
    expect(Array.from(g.data)).toEqual([0, 0, 1, Math.fround(0.2)]);
    expect(g.window.source).toBe('file-voi-lut');
  });

  it('float frames: windowed per pixel, NaN becomes 0', () => {
    const image = createDecodedImage(1, 3, [Float32Array.from([-1, 0.25, Number.NaN])], {
      windowCenter: [0.5],
      windowWidth: [1],
      voiLutFunction: 'LINEAR_EXACT',
    });
    expect(Array.from(greyFrame(image, 0, P).data)).toEqual([0, 0.25, 0]);
  });

  it('RGB → Rec. 601 luma over the stored range', () => {
    const image = createDecodedImage(1, 2, [Uint8Array.from([255, 0, 0, 255, 255, 255])], {
      photometricInterpretation: 'RGB',
      samplesPerPixel: 3,
      bitsStored: 8,
    });
    const g = greyFrame(image, 0, P);
    expect(g.data[0]).toBe(Math.fround(0.299));
    expect(g.data[1]).toBe(1);
    expect(g.window.source).toBe('colour');
  });

  it('PALETTE COLOR → LUTs → luma', () => {
    const lut = (values: number[]) => ({ firstValueMapped: 0, bitsPerEntry: 16, data: Uint16Array.from(values) });
    const image = createDecodedImage(1, 3, [Uint8Array.from([0, 1, 7])], {
      photometricInterpretation: 'PALETTE COLOR',
      palette: { red: lut([0, 65535]), green: lut([0, 0]), blue: lut([65535, 65535]) },
    });
    const g = greyFrame(image, 0, P);
    expect(Array.from(g.data)).toEqual([0.114, 0.299 + 0.114, 0.299 + 0.114].map(Math.fround));
  });

  it('typed errors for a bad frame index and a short frame', async () => {
    const image = createDecodedImage(2, 2, [new Uint16Array(4)]);
    await expectTypedError(() => greyFrame(image, 1, P), 'PREPROCESS_INVALID_PARAMS');
    await expectTypedError(() => greyFrame(createDecodedImage(2, 2, [new Uint16Array(3)]), 0, P), 'DICOM_PIXEL_LENGTH_MISMATCH', 'Expected 4 pixel samples');
    await expectTypedError(() => greyFrame(createDecodedImage(2, 2, [new Uint16Array(4)], { rescaleSlope: 0 }), 0, P), 'DICOM_INVALID_ATTRIBUTE');
  });
});
