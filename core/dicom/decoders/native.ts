/**
 * Native (uncompressed) pixel data (PS3.5 section 8): little or big endian, 1-bit packed,
 * 8/16/32-bit integer, 32/64-bit float, planar configuration 0 or 1, YBR_FULL and native
 * YBR_FULL_422 converted to RGB.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { expandYbr422, ybrFullToRgb } from '../color.ts';
import type { PixelArray } from '../decoded-image.ts';
import type { DecodedFrame, FrameInfo } from '../frame-info.ts';
import { interleavePlanar, outputBytesPerSample, pixelsFromLittleEndian, samplesPerFrame, signExtendInPlace } from '../pixel-arrays.ts';

/** Stored samples in one native frame (native YBR_FULL_422 keeps two chroma samples per two pixels). */
export function nativeSamplesPerFrame(info: FrameInfo): number {
  if (info.photometricInterpretation === 'YBR_FULL_422' && info.samplesPerPixel === 3) {
    return info.rows * Math.ceil(info.columns / 2) * 4;
  }
  return samplesPerFrame(info);
}

/** Bits one native frame occupies (frames of 1-bit data need not start on a byte boundary). */
export function nativeFrameBits(info: FrameInfo): number {
  return nativeSamplesPerFrame(info) * info.bitsAllocated;
}

function unpackBits(frame: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = ((frame[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}

function swapToLittleEndian(frame: Uint8Array, wordBytes: number): Uint8Array {
  const out = new Uint8Array(frame.length - (frame.length % wordBytes));
  for (let i = 0; i < out.length; i += wordBytes) {
    for (let b = 0; b < wordBytes; b++) out[i + b] = frame[i + wordBytes - 1 - b] as number;
  }
  return out;
}

/**
 * Big-endian files swap each sample of 16/32/64 bits; 8-bit samples in an OW element are
 * swapped in 16-bit words (PS3.5 7.3 and Annex A.3).
 */
function byteSwapUnit(info: FrameInfo): number {
  if (!info.bigEndian) return 1;
  if (info.bitsAllocated >= 16) return info.bitsAllocated / 8;
  return info.bitsAllocated === 8 && info.pixelVr === 'OW' ? 2 : 1;
}

/**
 * Decodes one native frame.
 * @param frame Exactly the frame's bytes (1-bit frames realigned to bit 0 of byte 0).
 * @returns Interleaved samples, length rows * columns * samplesPerPixel, dtype per attributes;
 *   YBR_FULL / YBR_FULL_422 returned as RGB.
 */
export async function decodeNative(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  const stored = nativeSamplesPerFrame(info);
  const needBytes = Math.ceil((stored * info.bitsAllocated) / 8);
  if (frame.length < needBytes) {
    throw new RadLocalError('DICOM_PIXEL_LENGTH_MISMATCH', `Expected ${needBytes} bytes of pixel data for one frame, but found ${frame.length}.`);
  }
  let pixels: PixelArray;
  if (info.bitsAllocated === 1) {
    pixels = unpackBits(frame, stored);
  } else {
    const unit = byteSwapUnit(info);
    const exact = frame.subarray(0, needBytes);
    const little = unit > 1 ? swapToLittleEndian(exact, unit) : exact;
    pixels = pixelsFromLittleEndian(little, info, outputBytesPerSample(info));
    signExtendInPlace(pixels, info);
  }
  let photometric = info.photometricInterpretation;
  if (info.samplesPerPixel > 1 && info.photometricInterpretation === 'YBR_FULL_422') {
    pixels = ybrFullToRgb(expandYbr422(pixels, info.rows, info.columns), info.bitsStored);
    photometric = 'RGB';
  } else {
    if (info.samplesPerPixel > 1 && info.planarConfiguration === 1) pixels = interleavePlanar(pixels, info.samplesPerPixel);
    if (info.samplesPerPixel === 3 && info.photometricInterpretation === 'YBR_FULL') {
      pixels = ybrFullToRgb(pixels, info.bitsStored);
      photometric = 'RGB';
    }
  }
  return { pixels, photometricInterpretation: photometric };
}
