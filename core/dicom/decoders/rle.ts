/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane (most significant byte first) per sample.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { ybrFullToRgb } from '../color.ts';
import type { PixelArray } from '../decoded-image.ts';
import type { DecodedFrame, FrameInfo } from '../frame-info.ts';
import { allocatePixels, signExtendInPlace } from '../pixel-arrays.ts';

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

function fail(message: string): never {
  throw new RadLocalError('DICOM_DECODE_FAILED', `The RLE-compressed image is damaged: ${message}`);
}

/**
 * Decodes one PackBits segment (G.3.1) into `out` (length = pixels); returns the bytes written.
 * Stops at the end of the input or when `out` is full, so it is bounded by both.
 */
function unpackSegment(data: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let src = start;
  let dst = 0;
  while (src < end && dst < out.length) {
    const n = data[src++] as number;
    if (n < 128) {
      const count = Math.min(n + 1, end - src, out.length - dst);
      // Short literal runs (the common case in noisy images) by hand: a subarray per run costs more than the copy.
      if (count < 32) for (let k = 0; k < count; k++) out[dst + k] = data[src + k] as number;
      else out.set(data.subarray(src, src + count), dst);
      src += n + 1;
      dst += count;
    } else if (n > 128) {
      const count = Math.min(257 - n, out.length - dst);
      if (src >= end) break;
      out.fill(data[src++] as number, dst, dst + count);
      dst += count;
    } else {
      src += 0; // 128 (-128 as a signed byte) is a no-op
    }
  }
  return dst;
}

/**
 * @param frame One frame's RLE data (header + segments).
 * @returns Interleaved samples, length rows * columns * samplesPerPixel; YBR_FULL returned as RGB.
 */
export async function decodeRle(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  if (info.bitsAllocated === 1 || info.isFloat) fail(`RLE of ${info.bitsAllocated}-bit ${info.isFloat ? 'float ' : ''}data is not defined.`);
  if (frame.length < HEADER_BYTES) fail(`expected a 64-byte segment header, but the frame has ${frame.length} bytes.`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segmentCount = view.getUint32(0, true);
  const bytesPerSample = info.bitsAllocated / 8;
  const expected = bytesPerSample * info.samplesPerPixel;
  if (segmentCount !== expected || segmentCount > MAX_SEGMENTS) {
    fail(`expected ${expected} segments for ${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits, but the header declares ${segmentCount}.`);
  }
  const pixelCount = info.rows * info.columns;
  // PackBits expands at most 64-fold (2 bytes → 128): refuse impossible frames before allocating.
  if ((frame.length - HEADER_BYTES) * 64 < pixelCount * segmentCount) {
    fail(`${frame.length} bytes cannot hold ${segmentCount} segment(s) of ${pixelCount} pixels.`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < segmentCount; i++) offsets.push(view.getUint32(4 + 4 * i, true));
  const spp = info.samplesPerPixel;
  const pixels: PixelArray = allocatePixels(info, pixelCount * spp);
  // Assemble little-endian bytes of each sample, then reinterpret through the typed array's buffer.
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const unpack = (seg: number, plane: Uint8Array): void => {
    const start = offsets[seg] as number;
    const end = seg + 1 < segmentCount ? (offsets[seg + 1] as number) : frame.length;
    if (start < HEADER_BYTES || start > frame.length || end > frame.length || end < start) {
      fail(`segment ${seg + 1} lies outside the frame (offset ${start}, frame ${frame.length} bytes).`);
    }
    const written = unpackSegment(frame, start, end, plane);
    if (written < pixelCount) fail(`segment ${seg + 1} holds ${written} of ${pixelCount} bytes.`);
  };
  if (bytesPerSample === 2 && spp === 1) {
    // One 16-bit sample per pixel (most CR/DX/MR): both byte planes, then one pass of 16-bit writes.
    const high = new Uint8Array(pixelCount);
    const low = new Uint8Array(pixelCount);
    unpack(0, high);
    unpack(1, low);
    const words = pixels as Uint16Array | Int16Array;
    for (let p = 0; p < pixelCount; p++) words[p] = ((high[p] as number) << 8) | (low[p] as number);
    signExtendInPlace(pixels, info);
    return { pixels, photometricInterpretation: info.photometricInterpretation };
  }
  const plane = new Uint8Array(pixelCount);
  for (let seg = 0; seg < segmentCount; seg++) {
    unpack(seg, plane);
    const sample = Math.floor(seg / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (seg % bytesPerSample); // segments run most significant byte first
    const stride = spp * bytesPerSample;
    let dst = sample * bytesPerSample + byteInSample;
    for (let p = 0; p < pixelCount; p++, dst += stride) bytes[dst] = plane[p] as number;
  }
  signExtendInPlace(pixels, info);
  if (spp === 3 && (info.photometricInterpretation === 'YBR_FULL' || info.photometricInterpretation === 'YBR_FULL_422')) {
    return { pixels: ybrFullToRgb(pixels, info.bitsStored), photometricInterpretation: 'RGB' };
  }
  return { pixels, photometricInterpretation: info.photometricInterpretation };
}
