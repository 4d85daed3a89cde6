/** Typed-array helpers shared by the frame decoders. */
import type { PixelArray } from './decoded-image.ts';
import type { FrameInfo } from './frame-info.ts';

/** Bytes per stored sample in the output array (1-bit data is unpacked to one byte per sample). */
export function outputBytesPerSample(info: Pick<FrameInfo, 'bitsAllocated'>): number {
  return info.bitsAllocated === 1 ? 1 : info.bitsAllocated / 8;
}

/** Samples in one frame: rows * columns * samplesPerPixel. */
export function samplesPerFrame(info: Pick<FrameInfo, 'rows' | 'columns' | 'samplesPerPixel'>): number {
  return info.rows * info.columns * info.samplesPerPixel;
}

type PixelArrayConstructor = { new (length: number): PixelArray; new (buffer: ArrayBuffer): PixelArray };

/** The typed-array type for the image's attributes (BitsAllocated, PixelRepresentation, float pixel data). */
export function pixelArrayType(info: Pick<FrameInfo, 'bitsAllocated' | 'pixelRepresentation' | 'isFloat'>): PixelArrayConstructor {
  const signed = info.pixelRepresentation === 1;
  switch (info.bitsAllocated) {
    case 1:
      return Uint8Array;
    case 8:
      return signed ? Int8Array : Uint8Array;
    case 16:
      return signed ? Int16Array : Uint16Array;
    case 32:
      if (info.isFloat) return Float32Array;
      return signed ? Int32Array : Uint32Array;
    case 64:
      return Float64Array;
    default:
      throw new Error(`pixelArrayType: bitsAllocated ${info.bitsAllocated} was validated away earlier`);
  }
}

/** A zeroed output array of `length` samples with the dtype the image's attributes call for. */
export function allocatePixels(info: FrameInfo, length: number): PixelArray {
  return new (pixelArrayType(info))(length);
}

/**
 * Copies little-endian sample bytes (from a file or from WASM memory) into a new array of the
 * image's dtype. `sourceBytesPerSample` may be smaller than the container (an 8-bit codec output
 * for a 16-bit-allocated image): values are then widened.
 */
export function pixelsFromLittleEndian(bytes: Uint8Array, info: FrameInfo, sourceBytesPerSample = outputBytesPerSample(info)): PixelArray {
  const containerBytes = outputBytesPerSample(info);
  const length = Math.floor(bytes.length / sourceBytesPerSample);
  if (sourceBytesPerSample === containerBytes) {
    return new (pixelArrayType(info))(bytes.slice(0, length * containerBytes).buffer);
  }
  const out = allocatePixels(info, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < length; i++) {
    out[i] = sourceBytesPerSample === 1 ? view.getUint8(i) : view.getUint16(i * 2, true);
  }
  return out;
}

/**
 * Sign-extends signed integer samples whose BitsStored is smaller than the container (codecs and
 * some writers leave the upper bits zero). Idempotent on values that are already extended.
 * Returns the same array, modified in place (it is always a fresh output array).
 */
export function signExtendInPlace(pixels: PixelArray, info: FrameInfo): PixelArray {
  if (info.pixelRepresentation !== 1 || info.isFloat || info.bitsStored >= info.bitsAllocated || info.bitsStored < 1) return pixels;
  const shift = 32 - info.bitsStored;
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((pixels[i] as number) << shift) >> shift;
  return pixels;
}

/** Planar (R…G…B…) to interleaved (RGBRGB…) for one frame; returns a new array. */
export function interleavePlanar(planar: PixelArray, samplesPerPixel: number): PixelArray {
  const out = new (planar.constructor as new (length: number) => PixelArray)(planar.length);
  const plane = planar.length / samplesPerPixel;
  for (let s = 0; s < samplesPerPixel; s++) {
    const base = s * plane;
    for (let p = 0; p < plane; p++) out[p * samplesPerPixel + s] = planar[base + p] as number;
  }
  return out;
}
