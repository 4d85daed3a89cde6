/**
 * THE transfer-syntax table: UID → how its pixel data is stored and which pure decoder reads a
 * frame of it. Nothing else in the project switches on transfer-syntax UIDs.
 */
import type { FrameDecoder } from './frame-info.ts';
import { decodeJpegExtended } from './decoders/jpeg-extended.ts';
import { decodeJpegLossless } from './decoders/jpeg-lossless.ts';
import { decodeNative } from './decoders/native.ts';
import { decodeRle } from './decoders/rle.ts';
import { decodeJpegBaseline } from './decoders/jpeg-baseline.ts';
import { decodeHtj2k, decodeJpeg2000, decodeJpegLs } from './decoders/wasm-codec.ts';
import * as UID from './transfer-syntax-uids.ts';

export interface TransferSyntax {
  name: string;
  /** Pixel data as a sequence of fragments (PS3.5 A.4) rather than native. */
  encapsulated: boolean;
  /** Native pixel data stored big endian. */
  bigEndian: boolean;
  /** Lossy compression (values may differ from the original acquisition). */
  lossy: boolean;
  decode: FrameDecoder;
}

const native = (name: string, bigEndian = false): TransferSyntax => ({ name, encapsulated: false, bigEndian, lossy: false, decode: decodeNative });
const compressed = (name: string, decode: FrameDecoder, lossy: boolean): TransferSyntax => ({ name, encapsulated: true, bigEndian: false, lossy, decode });

export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntax>> = {
  [UID.IMPLICIT_VR_LITTLE_ENDIAN]: native('Implicit VR Little Endian'),
  [UID.EXPLICIT_VR_LITTLE_ENDIAN]: native('Explicit VR Little Endian'),
  [UID.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]: native('Deflated Explicit VR Little Endian'),
  [UID.EXPLICIT_VR_BIG_ENDIAN]: native('Explicit VR Big Endian', true),
  [UID.ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN]: compressed('Encapsulated Uncompressed Explicit VR Little Endian', decodeNative, false),
  [UID.RLE_LOSSLESS]: compressed('RLE Lossless', decodeRle, false),
  [UID.JPEG_BASELINE_8BIT]: compressed('JPEG Baseline (Process 1)', decodeJpegBaseline, true),
  [UID.JPEG_EXTENDED_12BIT]: compressed('JPEG Extended (Process 2 & 4)', decodeJpegExtended, true),
  [UID.JPEG_LOSSLESS_PROCESS_14]: compressed('JPEG Lossless, Non-Hierarchical (Process 14)', decodeJpegLossless, false),
  [UID.JPEG_LOSSLESS_SV1]: compressed('JPEG Lossless, First-Order Prediction (Process 14, SV1)', decodeJpegLossless, false),
  [UID.JPEG_LS_LOSSLESS]: compressed('JPEG-LS Lossless', decodeJpegLs, false),
  [UID.JPEG_LS_NEAR_LOSSLESS]: compressed('JPEG-LS Near-Lossless', decodeJpegLs, true),
  [UID.JPEG_2000_LOSSLESS]: compressed('JPEG 2000 (Lossless Only)', decodeJpeg2000, false),
  [UID.JPEG_2000]: compressed('JPEG 2000', decodeJpeg2000, true),
  [UID.HTJ2K_LOSSLESS]: compressed('HTJ2K (Lossless Only)', decodeHtj2k, false),
  [UID.HTJ2K_LOSSLESS_RPCL]: compressed('HTJ2K with RPCL Options (Lossless Only)', decodeHtj2k, false),
  [UID.HTJ2K]: compressed('HTJ2K', decodeHtj2k, true),
};

export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return Object.prototype.hasOwnProperty.call(TRANSFER_SYNTAXES, uid) ? TRANSFER_SYNTAXES[uid] : undefined;
}
