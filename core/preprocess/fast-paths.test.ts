/**
 * The preprocessing fast paths give the same floats, bit for bit, as the plain algorithms
 * they replace: the flat, unrolled, row-at-a-time resampling against a per-pixel double loop
 * over the same taps; the one-pass 8/16-bit histogram against min/max-then-count (what wider
 * integer arrays still get); integer frames through their per-value table against the same
 * arithmetic per sample (what float frames get). Every model input in training and in the
 * browser goes through these paths, and the golden tests pin only a few images.
 */
import { describe, expect, it } from 'vitest';
import { createDecodedImage, type PixelArray } from '../dicom/decoded-image.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { fitGeometry, type FitGeometry } from './fit-geometry.ts';
import { greyFrame, greyRows } from './grey-frame.ts';
import { DEFAULT_PREPROCESS_PARAMS } from './params.ts';
import { axisTaps, resample, resampleRows } from './resize.ts';
import { storedHistogram } from './stored-histogram.ts';

/** The separable filter written as plainly as possible: per output pixel, taps in ascending order. */
function referenceResample(source: Float32Array, g: FitGeometry, pad: number): Float32Array {
  const x = axisTaps(g.sourceColumns, g.width, g.scaleX, g.offsetX, g.contentWidth);
  const y = axisTaps(g.sourceRows, g.height, g.scaleY, g.offsetY, g.contentHeight);
  const horizontal = (r: number, o: number): number => {
    let acc = 0;
    for (let k = 0; k < (x.count[o] as number); k++) acc += (x.weights[o * x.stride + k] as number) * (source[r * g.sourceColumns + (x.first[o] as number) + k] as number);
    return acc;
  };
  const out = new Float32Array(g.height * g.width);
  for (let o = 0; o < g.height; o++) {
    for (let c = 0; c < g.width; c++) {
      if (y.count[o] === 0 || x.count[c] === 0) {
        out[o * g.width + c] = pad;
        continue;
      }
      let acc = 0;
      for (let k = 0; k < (y.count[o] as number); k++) acc += (y.weights[o * y.stride + k] as number) * horizontal((y.first[o] as number) + k, c);
      out[o * g.width + c] = acc;
    }
  }
  return out;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('resample fast path', () => {
  const random = seededRandom(7);
  const cases: Array<[number, number, number, number, 'letterbox' | 'center-crop']> = [
    [2048, 1802, 256, 256, 'letterbox'], // a CR at the default model's input
    [301, 517, 64, 96, 'letterbox'],
    [517, 301, 96, 64, 'center-crop'],
    [40, 30, 128, 128, 'letterbox'], // enlarging (bilinear)
    [3, 1000, 16, 16, 'letterbox'], // a few rows, many columns
    [97, 97, 97, 97, 'letterbox'], // identity
  ];
  it.each(cases)('%i×%i → %i×%i %s: the same floats as the per-pixel loop', (rows, columns, height, width, fit) => {
    const source = Float32Array.from({ length: rows * columns }, () => random() * 4 - 1);
    const g = fitGeometry(rows, columns, height, width, fit);
    const expected = referenceResample(source, g, Number.NaN);
    expect(sameBits(resample(source, g, Number.NaN), expected)).toBe(true);
    // Rows handed over one at a time in one reused buffer, as greyRows does.
    const buffer = new Float32Array(columns);
    const asked: number[] = [];
    const fromRows = resampleRows((r) => {
      asked.push(r);
      buffer.set(source.subarray(r * columns, (r + 1) * columns));
      return buffer;
    }, g, Number.NaN);
    expect(sameBits(fromRows, expected)).toBe(true);
    expect(asked).toEqual([...asked].sort((a, b) => a - b)); // each row once, in order
    expect(new Set(asked).size).toBe(asked.length);
  });
});

describe('storedHistogram one-pass 8/16-bit path', () => {
  const random = seededRandom(11);
  const make: Array<[string, (n: number) => PixelArray]> = [
    ['Uint16Array', (n) => Uint16Array.from({ length: n }, () => 300 + Math.floor(random() * 3000))],
    ['Int16Array', (n) => Int16Array.from({ length: n }, () => -2000 + Math.floor(random() * 2500))],
    ['Uint8Array', (n) => Uint8Array.from({ length: n }, () => 20 + Math.floor(random() * 200))],
    ['Int8Array', (n) => Int8Array.from({ length: n }, () => -100 + Math.floor(random() * 150))],
    ['Uint16Array (constant)', (n) => new Uint16Array(n).fill(65535)],
    ['Int16Array (extremes)', (n) => Int16Array.from({ length: n }, (_, i) => (i % 2 ? -32768 : 32767))],
  ];
  it.each(make)('%s: the same histogram as min/max then counting', (_name, frame) => {
    const a = frame(5000);
    const reference = storedHistogram(Int32Array.from(a)); // Int32Array takes the two-pass path
    expect(storedHistogram(a)).toEqual(reference);
  });

  it('an empty frame gives the empty exact histogram', () => {
    expect(storedHistogram(new Uint16Array(0))).toEqual(storedHistogram(new Int32Array(0)));
  });
});

describe('greyRows / greyFrame table path', () => {
  const random = seededRandom(13);
  const pixels = Uint16Array.from({ length: 120 * 90 }, () => Math.floor(random() * 4096));
  const variants: Array<[string, Parameters<typeof createDecodedImage>[3]]> = [
    ['LINEAR window, MONOCHROME1, rescale', { windowCenter: [1500], windowWidth: [2200], voiLutFunction: 'LINEAR', photometricInterpretation: 'MONOCHROME1', rescaleSlope: 0.5, rescaleIntercept: -20 }],
    ['LINEAR_EXACT window', { windowCenter: [2000], windowWidth: [1000], voiLutFunction: 'LINEAR_EXACT' }],
    ['SIGMOID window', { windowCenter: [2000], windowWidth: [3000], voiLutFunction: 'SIGMOID' }],
    ['VOI LUT', { voiLut: { firstValueMapped: 500, bitsPerEntry: 12, data: Uint16Array.from({ length: 3000 }, (_, i) => Math.floor(Math.sqrt(i) * 70)) } }],
  ];
  it.each(variants)('%s: integer samples through the table = the same arithmetic per sample', (_name, attributes) => {
    const integer = greyFrame(createDecodedImage(120, 90, [pixels], attributes), 0, DEFAULT_PREPROCESS_PARAMS);
    const float = greyFrame(createDecodedImage(120, 90, [Float64Array.from(pixels)], attributes), 0, DEFAULT_PREPROCESS_PARAMS);
    expect(integer.window).toEqual(float.window);
    expect(sameBits(integer.data, float.data)).toBe(true);
  });

  it('rows are the rows of the whole frame, for every photometric kind', () => {
    const rgb = Uint8Array.from({ length: 30 * 20 * 3 }, () => Math.floor(random() * 256));
    const images = [
      createDecodedImage(30, 20, [Uint16Array.from({ length: 600 }, () => Math.floor(random() * 60000))], { photometricInterpretation: 'MONOCHROME1' }),
      createDecodedImage(30, 20, [rgb], { photometricInterpretation: 'RGB', samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8 }),
      createDecodedImage(30, 20, [rgb], { photometricInterpretation: 'YBR_FULL', samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8 }),
    ];
    for (const image of images) {
      const whole = greyFrame(image, 0, DEFAULT_PREPROCESS_PARAMS);
      const rows = greyRows(image, 0, DEFAULT_PREPROCESS_PARAMS);
      for (let r = 0; r < 30; r++) expect(sameBits(rows.rowAt(r).slice(), whole.data.subarray(r * 20, (r + 1) * 20))).toBe(true);
      expect(Math.max(...whole.data)).toBeGreaterThan(0.5); // not an all-zero frame
    }
  });
});
