/** Summary numbers of one frame's stored values (before any LUT), as the inspect contract reports them. */
import type { PixelArray } from './decoded-image.ts';

/** Min and max over all samples; NaN samples of float data are skipped. Undefined for an empty frame. */
export function minMax(pixels: PixelArray): { min: number; max: number } | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/** The bytes of a frame's typed array in little-endian order (what pixelSha256 hashes). */
export function littleEndianBytes(pixels: PixelArray): Uint8Array {
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const platformIsLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (platformIsLittle || pixels.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const n = pixels.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += n) for (let b = 0; b < n; b++) out[i + b] = bytes[i + n - 1 - b] as number;
  return out;
}
