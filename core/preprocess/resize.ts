/**
 * Antialiased resampling by a separable triangle (tent) filter whose support widens with
 * the downscale factor (radius = max(1, 1/scale) source pixels), i.e. bilinear when
 * enlarging and area-weighted averaging when shrinking. Only + − × ÷ and floor/ceil/abs,
 * accumulated in float64 in a fixed order: identical results in Node and Chromium.
 */
import type { FitGeometry } from './fit-geometry.ts';

/** Taps of one output sample: first source index and normalised weights. */
interface Taps {
  first: number;
  weights: Float64Array;
}

/**
 * Filter taps for every output index along one axis; `undefined` where the output lies
 * outside the resized content (letterbox padding).
 */
export function axisTaps(sourceLength: number, outputLength: number, scale: number, offset: number, contentLength: number): (Taps | undefined)[] {
  const radius = scale < 1 ? 1 / scale : 1;
  const taps: (Taps | undefined)[] = [];
  for (let o = 0; o < outputLength; o++) {
    if (o < offset || o >= offset + contentLength) {
      taps.push(undefined);
      continue;
    }
    const center = (o - offset + 0.5) / scale; // source edge coordinate of the output pixel centre
    let first = Math.floor(center - radius);
    let last = Math.ceil(center + radius);
    if (first < 0) first = 0;
    if (last > sourceLength - 1) last = sourceLength - 1;
    const weights = new Float64Array(last - first + 1);
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const w = 1 - Math.abs(i + 0.5 - center) / radius;
      const wi = w > 0 ? w : 0;
      weights[i - first] = wi;
      sum += wi;
    }
    if (sum > 0) for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / sum;
    else weights[Math.min(weights.length - 1, Math.max(0, Math.floor(center) - first))] = 1;
    taps.push({ first, weights });
  }
  return taps;
}

/**
 * Resamples a [rows, columns] float image into the geometry's [height, width] input.
 * @param source Float32Array [sourceRows, sourceColumns], any range.
 * @param pad value written outside the content (letterbox bars).
 * @returns Float32Array [height, width], row-major.
 */
export function resample(source: Float32Array, g: FitGeometry, pad: number): Float32Array {
  const { sourceRows, sourceColumns, height, width } = g;
  const xTaps = axisTaps(sourceColumns, width, g.scaleX, g.offsetX, g.contentWidth);
  const yTaps = axisTaps(sourceRows, height, g.scaleY, g.offsetY, g.contentHeight);
  // Source rows any output row needs.
  let rowLo = sourceRows;
  let rowHi = -1;
  for (const t of yTaps) {
    if (!t) continue;
    rowLo = Math.min(rowLo, t.first);
    rowHi = Math.max(rowHi, t.first + t.weights.length - 1);
  }
  // Horizontal pass: [sourceRows, width] (only the needed rows).
  const mid = new Float64Array(sourceRows * width);
  for (let r = rowLo; r <= rowHi; r++) {
    const rowBase = r * sourceColumns;
    const midBase = r * width;
    for (let o = 0; o < width; o++) {
      const t = xTaps[o];
      if (!t) continue;
      const { first, weights } = t;
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += (weights[k] as number) * (source[rowBase + first + k] as number);
      mid[midBase + o] = acc;
    }
  }
  // Vertical pass.
  const out = new Float32Array(height * width);
  for (let o = 0; o < height; o++) {
    const t = yTaps[o];
    const outBase = o * width;
    if (!t) {
      out.fill(pad, outBase, outBase + width);
      continue;
    }
    const { first, weights } = t;
    for (let c = 0; c < width; c++) {
      if (!xTaps[c]) {
        out[outBase + c] = pad;
        continue;
      }
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += (weights[k] as number) * (mid[(first + k) * width + c] as number);
      out[outBase + c] = acc;
    }
  }
  return out;
}
