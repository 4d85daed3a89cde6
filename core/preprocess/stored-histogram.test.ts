import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, minMax, percentileOf, storedHistogram } from './stored-histogram.ts';

describe('stored-value histogram and percentiles', () => {
  it('exact for integers: rank ceil(p/100 × N), signed values', () => {
    const h = storedHistogram(Int16Array.from([-5, -5, 0, 3, 3, 3, 10, 10, 10, 100]));
    expect([h.exact, h.min, h.max, h.total]).toEqual([true, -5, 100, 10]);
    expect(percentileOf(h, 0)).toBe(-5); // rank clamps to 1
    expect(percentileOf(h, 20)).toBe(-5); // rank 2
    expect(percentileOf(h, 21)).toBe(0); // rank 3
    expect(percentileOf(h, 90)).toBe(10); // rank 9
    expect(percentileOf(h, 100)).toBe(100);
  });

  it('binned for wide integer ranges and floats (bin centre), skipping NaN and ±Infinity in the bins', () => {
    const wide = storedHistogram(Int32Array.from([0, 1 << 24, 1 << 24]));
    expect(wide.exact).toBe(false);
    expect(wide.binWidth).toBe((1 << 24) / HISTOGRAM_BINS);
    expect(percentileOf(wide, 10)).toBe(0.5 * wide.binWidth);
    expect(percentileOf(wide, 50)).toBe((1 << 24) - 0.5 * wide.binWidth);
    const floats = storedHistogram(Float32Array.from([0, 1, Number.NaN, 0.5]));
    expect(floats.total).toBe(3);
    expect(percentileOf(floats, 50)).toBeCloseTo(0.5, 4);
  });

  it('minMax ignores NaN and ±Infinity and is {0, 0} for an empty frame', () => {
    expect(minMax(Float32Array.from([Number.NaN, 2, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]))).toEqual({ min: -1, max: 2 });
    const h = storedHistogram(Float64Array.from([Number.NEGATIVE_INFINITY, 0, 4]));
    expect([h.min, h.max, h.total]).toEqual([0, 4, 2]);
    expect(minMax(new Uint16Array(0))).toEqual({ min: 0, max: 0 });
  });
});
