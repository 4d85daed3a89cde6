/**
 * Colour-space conversions of decoded frames (PS3.3 C.7.6.3.1.2). Inputs are never mutated.
 */
import type { PixelArray } from './decoded-image.ts';

/**
 * YCbCr full range (YBR_FULL, ITU-R BT.601 coefficients) to RGB, sample-interleaved.
 * @param ybr Interleaved [Y, Cb, Cr] samples, length pixels * 3, range [0, 2^bitsStored − 1].
 * @returns A new array of the same dtype with interleaved [R, G, B], clamped to the same range.
 */
export function ybrFullToRgb(ybr: PixelArray, bitsStored: number): PixelArray {
  const out = new (ybr.constructor as new (length: number) => PixelArray)(ybr.length);
  const max = 2 ** bitsStored - 1;
  const mid = 2 ** (bitsStored - 1);
  const clamp = (v: number): number => (v < 0 ? 0 : v > max ? max : Math.round(v));
  for (let i = 0; i + 2 < ybr.length; i += 3) {
    const y = ybr[i] as number;
    const cb = (ybr[i + 1] as number) - mid;
    const cr = (ybr[i + 2] as number) - mid;
    out[i] = clamp(y + 1.402 * cr);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp(y + 1.772 * cb);
  }
  return out;
}

/**
 * Expands native YBR_FULL_422 (per pair of pixels: Y1 Y2 Cb Cr, PS3.3 C.7.6.3.1.2) to full
 * YBR_FULL with one [Y, Cb, Cr] triple per pixel. Rows with an odd column count reuse the
 * last chroma pair for the lone pixel.
 * @param packed Length rows * ceil(columns / 2) * 4.
 * @returns A new array of length rows * columns * 3.
 */
export function expandYbr422(packed: PixelArray, rows: number, columns: number): PixelArray {
  const out = new (packed.constructor as new (length: number) => PixelArray)(rows * columns * 3);
  let src = 0;
  let dst = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c += 2) {
      const y1 = packed[src] as number;
      const y2 = packed[src + 1] as number;
      const cb = packed[src + 2] as number;
      const cr = packed[src + 3] as number;
      src += 4;
      out[dst++] = y1;
      out[dst++] = cb;
      out[dst++] = cr;
      if (c + 1 < columns) {
        out[dst++] = y2;
        out[dst++] = cb;
        out[dst++] = cr;
      }
    }
  }
  return out;
}
