/**
 * What a frame decoder needs to know about the image, and the one signature every decoder in
 * the transfer-syntax table has.
 */
import type { PhotometricInterpretation, PixelArray } from './decoded-image.ts';
import type { CodecProvider } from './codec-provider.ts';

/** Image Pixel module attributes (PS3.3 C.7.6.3) of one frame, already validated. */
export interface FrameInfo {
  rows: number;
  columns: number;
  /** 1 or 3. */
  samplesPerPixel: number;
  /** 1, 8, 16, 32 or 64. */
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /** 0 interleaved (R1G1B1R2…), 1 planar (R1R2…G1G2…B1B2…). */
  planarConfiguration: 0 | 1;
  /** PhotometricInterpretation as stored in the file. */
  photometricInterpretation: PhotometricInterpretation;
  /** True for Float Pixel Data (7FE0,0008) / Double Float Pixel Data (7FE0,0009). */
  isFloat: boolean;
  /** True when native pixel data is big endian (Explicit VR Big Endian). */
  bigEndian: boolean;
  /** The VR of the pixel data element ('OB', 'OW', 'OF', 'OD'), when the file states one. */
  pixelVr: string | undefined;
}

/** One decoded frame: sample-interleaved pixels and the photometric interpretation they are in now. */
export interface DecodedFrame {
  /** Length rows * columns * samplesPerPixel; dtype follows bitsAllocated / pixelRepresentation / float. */
  pixels: PixelArray;
  photometricInterpretation: PhotometricInterpretation;
  /** Conformance problems the decoder worked around (e.g. a codestream that disagrees with the transfer syntax). */
  warnings?: string[];
}

export interface DecoderContext {
  codecs: CodecProvider | undefined;
}

/**
 * A pure frame decoder: reads `frame` (never mutates it, never keeps a reference to it) and
 * resolves to a new pixel array, or rejects with a RadLocalError.
 */
export type FrameDecoder = (frame: Uint8Array, info: FrameInfo, context: DecoderContext) => Promise<DecodedFrame>;
