/**
 * Histogram of one frame's stored values, the basis of the robust percentile window.
 * Integer frames with a value range ≤ 2^20 get one bin per value (exact percentiles);
 * float frames and wider ranges get HISTOGRAM_BINS equal bins over [min, max].
 */
import type { PixelArray } from '../dicom/decoded-image.ts';

export const EXACT_RANGE_LIMIT = 1 << 20;
export const HISTOGRAM_BINS = 65536;

export interface StoredHistogram {
  min: number;
  max: number;
  /** counts[k] = number of samples in bin k. */
  counts: Uint32Array;
  /** Width of one bin in stored units (1 for exact integer histograms). */
  binWidth: number;
  /** True when every bin is one integer value. */
  exact: boolean;
  /** Number of samples counted (non-finite float samples are skipped). */
  total: number;
}

export function isIntegerArray(a: PixelArray): boolean {
  return !(a instanceof Float32Array || a instanceof Float64Array);
}

/** Minimum and maximum over the finite samples (NaN/±Infinity skipped); {0,0} for none. */
export function minMax(a: PixelArray): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  if (isIntegerArray(a)) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

export function storedHistogram(a: PixelArray): StoredHistogram {
  if (a instanceof Uint16Array || a instanceof Uint8Array || a instanceof Int16Array || a instanceof Int8Array) return smallIntegerHistogram(a);
  const { min, max } = minMax(a);
  if (isIntegerArray(a) && max - min + 1 <= EXACT_RANGE_LIMIT) {
    const counts = new Uint32Array(max - min + 1);
    for (let i = 0; i < a.length; i++) {
      const k = (a[i] as number) - min;
      counts[k] = (counts[k] as number) + 1;
    }
    return { min, max, counts, binWidth: 1, exact: true, total: a.length };
  }
  const counts = new Uint32Array(HISTOGRAM_BINS);
  const binWidth = max > min ? (max - min) / HISTOGRAM_BINS : 1;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (!(v >= min && v <= max)) continue; // NaN / ±Infinity
    let k = Math.floor((v - min) / binWidth);
    if (k > HISTOGRAM_BINS - 1) k = HISTOGRAM_BINS - 1;
    counts[k] = (counts[k] as number) + 1;
    total++;
  }
  return { min, max, counts, binWidth, exact: false, total };
}

/**
 * `storedHistogram` of an 8- or 16-bit frame in one pass: every sample is counted in a bin of
 * the type's full range, then the counts are cut to [min, max] (the same histogram as
 * min/max first and counting second, without reading the frame twice).
 */
function smallIntegerHistogram(a: Uint16Array | Uint8Array | Int16Array | Int8Array): StoredHistogram {
  if (a.length === 0) return { min: 0, max: 0, counts: new Uint32Array(1), binWidth: 1, exact: true, total: 0 };
  const offset = a instanceof Int16Array ? 32768 : a instanceof Int8Array ? 128 : 0;
  const full = new Uint32Array(a instanceof Uint16Array || a instanceof Int16Array ? 65536 : 256);
  for (let i = 0; i < a.length; i++) {
    const k = (a[i] as number) + offset;
    full[k] = (full[k] as number) + 1;
  }
  let lo = 0;
  while (full[lo] === 0) lo++;
  let hi = full.length - 1;
  while (full[hi] === 0) hi--;
  return { min: lo - offset, max: hi - offset, counts: full.slice(lo, hi + 1), binWidth: 1, exact: true, total: a.length };
}

/**
 * The p-th percentile (0–100) of the stored values: the smallest value v with at least
 * ceil(p/100 × N) samples ≤ v (rank at least 1). Exact for exact histograms; for binned
 * ones the centre of the bin holding that rank.
 */
export function percentileOf(h: StoredHistogram, p: number): number {
  if (h.total === 0) return h.min;
  let rank = Math.ceil((p / 100) * h.total);
  if (rank < 1) rank = 1;
  let cumulative = 0;
  for (let k = 0; k < h.counts.length; k++) {
    cumulative += h.counts[k] as number;
    if (cumulative >= rank) return h.exact ? h.min + k : h.min + (k + 0.5) * h.binWidth;
  }
  return h.max;
}
