/**
 * Antialiased resampling by a separable triangle (tent) filter whose support widens with
 * the downscale factor (radius = max(1, 1/scale) source pixels), i.e. bilinear when
 * enlarging and area-weighted averaging when shrinking. Only + − × ÷ and floor/ceil/abs,
 * accumulated in float64 in a fixed order (horizontal pass, then vertical; taps in ascending
 * source order): identical results in Node and Chromium.
 *
 * The source is read one row at a time (`RowReader`), so a caller can produce rows on the fly
 * (grey-frame.ts maps stored values through its table row by row) instead of materialising a
 * full-resolution float image first: at 2048² that image alone is 16 MB.
 */
import type { FitGeometry } from './fit-geometry.ts';

/**
 * Filter taps of every output index along one axis, flat: output o reads `count[o]` source
 * samples from `first[o]` with weights `weights[o × stride …]`; count 0 where the output lies
 * outside the resized content (letterbox padding).
 */
export interface AxisTaps {
  first: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  stride: number;
}

export function axisTaps(sourceLength: number, outputLength: number, scale: number, offset: number, contentLength: number): AxisTaps {
  const radius = scale < 1 ? 1 / scale : 1;
  // Taps per output: at most ceil(c + r) − floor(c − r) + 1 ≤ 2r + 3.
  const stride = Math.min(sourceLength, Math.ceil(2 * radius) + 3);
  const first = new Int32Array(outputLength);
  const count = new Int32Array(outputLength);
  const weights = new Float64Array(outputLength * stride);
  for (let o = 0; o < outputLength; o++) {
    if (o < offset || o >= offset + contentLength) continue;
    const center = (o - offset + 0.5) / scale; // source edge coordinate of the output pixel centre
    let lo = Math.floor(center - radius);
    let hi = Math.ceil(center + radius);
    if (lo < 0) lo = 0;
    if (hi > sourceLength - 1) hi = sourceLength - 1;
    const n = hi - lo + 1;
    const base = o * stride;
    let sum = 0;
    for (let i = lo; i <= hi; i++) {
      const w = 1 - Math.abs(i + 0.5 - center) / radius;
      const wi = w > 0 ? w : 0;
      weights[base + i - lo] = wi;
      sum += wi;
    }
    if (sum > 0) for (let k = 0; k < n; k++) weights[base + k] = (weights[base + k] as number) / sum;
    else weights[base + Math.min(n - 1, Math.max(0, Math.floor(center) - lo))] = 1;
    first[o] = lo;
    count[o] = n;
  }
  return { first, count, weights, stride };
}

/**
 * Row `r` of the source (length ≥ sourceColumns). The returned array is read before the next
 * call, so a reader may fill and return the same buffer every time.
 */
export type RowReader = (r: number) => Float32Array;

/**
 * Resamples a [rows, columns] float image into the geometry's [height, width] input.
 * @param source Float32Array [sourceRows, sourceColumns], any range.
 * @param pad value written outside the content (letterbox bars).
 * @returns Float32Array [height, width], row-major.
 */
export function resample(source: Float32Array, g: FitGeometry, pad: number): Float32Array {
  const columns = g.sourceColumns;
  return resampleRows((r) => source.subarray(r * columns, (r + 1) * columns), g, pad);
}

/** mid[midBase + o] = Σ_k weights × row[first + k], taps in ascending order (0 where no taps). */
function filterRow(row: Float32Array, taps: AxisTaps, mid: Float64Array, midBase: number): void {
  const { first, count, weights, stride } = taps;
  for (let o = 0, width = count.length; o < width; o++) {
    const n = count[o] as number;
    if (n === 0) continue;
    let f = first[o] as number;
    let w = o * stride;
    const end = w + n;
    let acc = 0;
    // Four taps per iteration, still added one by one in ascending order.
    for (; w + 3 < end; w += 4, f += 4) {
      acc += (weights[w] as number) * (row[f] as number);
      acc += (weights[w + 1] as number) * (row[f + 1] as number);
      acc += (weights[w + 2] as number) * (row[f + 2] as number);
      acc += (weights[w + 3] as number) * (row[f + 3] as number);
    }
    for (; w < end; w++, f++) acc += (weights[w] as number) * (row[f] as number);
    mid[midBase + o] = acc;
  }
}

/** `resample` over rows produced by `rowAt` (each needed source row is asked for once, in order). */
export function resampleRows(rowAt: RowReader, g: FitGeometry, pad: number): Float32Array {
  const { sourceRows, sourceColumns, height, width } = g;
  const x = axisTaps(sourceColumns, width, g.scaleX, g.offsetX, g.contentWidth);
  const y = axisTaps(sourceRows, height, g.scaleY, g.offsetY, g.contentHeight);
  // Source rows any output row needs.
  let rowLo = sourceRows;
  let rowHi = -1;
  for (let o = 0; o < height; o++) {
    const n = y.count[o] as number;
    if (n === 0) continue;
    const lo = y.first[o] as number;
    if (lo < rowLo) rowLo = lo;
    if (lo + n - 1 > rowHi) rowHi = lo + n - 1;
  }
  // Horizontal pass: [rowLo … rowHi, width].
  const mid = new Float64Array(Math.max(0, rowHi - rowLo + 1) * width);
  for (let r = rowLo; r <= rowHi; r++) filterRow(rowAt(r), x, mid, (r - rowLo) * width);
  // Vertical pass: each output row accumulates its taps' rows in ascending order (the same
  // sum, term by term, as a per-pixel loop over the taps).
  const out = new Float32Array(height * width);
  const acc = new Float64Array(width);
  for (let o = 0; o < height; o++) {
    const outBase = o * width;
    const n = y.count[o] as number;
    if (n === 0) {
      out.fill(pad, outBase, outBase + width);
      continue;
    }
    acc.fill(0);
    const w = o * y.stride;
    const firstBase = ((y.first[o] as number) - rowLo) * width;
    for (let k = 0; k < n; k++) {
      const weight = y.weights[w + k] as number;
      const midBase = firstBase + k * width;
      for (let c = 0; c < width; c++) acc[c] = (acc[c] as number) + weight * (mid[midBase + c] as number);
    }
    for (let c = 0; c < width; c++) out[outBase + c] = x.count[c] === 0 ? pad : (acc[c] as number);
  }
  return out;
}
