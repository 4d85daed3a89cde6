/**
 * THE transfer-syntax table: UID → how its pixel data is stored and which pure decoder reads a
 * frame of it. Nothing else in the project switches on transfer-syntax UIDs. Compressed
 * syntaxes name the codestreams they allow; a frame is decoded by what its codestream declares
 * (./decoders/by-codestream.ts) and a disagreement becomes a warning.
 */
import type { FrameDecoder } from './frame-info.ts';
import { decodeByCodestream, type CodestreamKind } from './decoders/by-codestream.ts';
import { decodeNative } from './decoders/native.ts';
import { decodeRle } from './decoders/rle.ts';
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
const encapsulated = (name: string, decode: FrameDecoder, lossy: boolean): TransferSyntax => ({ name, encapsulated: true, bigEndian: false, lossy, decode });
const codestream = (name: string, uid: string, kinds: readonly CodestreamKind[], lossy: boolean, predictor1 = false): TransferSyntax =>
  encapsulated(name, decodeByCodestream({ syntax: `${name} (${uid})`, kinds, predictor1 }), lossy);

export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntax>> = {
  [UID.IMPLICIT_VR_LITTLE_ENDIAN]: native('Implicit VR Little Endian'),
  [UID.EXPLICIT_VR_LITTLE_ENDIAN]: native('Explicit VR Little Endian'),
  [UID.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]: native('Deflated Explicit VR Little Endian'),
  [UID.EXPLICIT_VR_BIG_ENDIAN]: native('Explicit VR Big Endian', true),
  [UID.ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN]: encapsulated('Encapsulated Uncompressed Explicit VR Little Endian', decodeNative, false),
  [UID.RLE_LOSSLESS]: encapsulated('RLE Lossless', decodeRle, false),
  [UID.JPEG_BASELINE_8BIT]: codestream('JPEG Baseline (Process 1)', UID.JPEG_BASELINE_8BIT, ['jpeg-baseline'], true),
  [UID.JPEG_EXTENDED_12BIT]: codestream('JPEG Extended (Process 2 & 4)', UID.JPEG_EXTENDED_12BIT, ['jpeg-baseline', 'jpeg-extended'], true),
  [UID.JPEG_SPECTRAL_SELECTION]: codestream('JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)', UID.JPEG_SPECTRAL_SELECTION, ['jpeg-progressive'], true),
  [UID.JPEG_FULL_PROGRESSION]: codestream('JPEG Full Progression, Non-Hierarchical (Process 10 & 12)', UID.JPEG_FULL_PROGRESSION, ['jpeg-progressive'], true),
  [UID.JPEG_LOSSLESS_PROCESS_14]: codestream('JPEG Lossless, Non-Hierarchical (Process 14)', UID.JPEG_LOSSLESS_PROCESS_14, ['jpeg-lossless'], false),
  [UID.JPEG_LOSSLESS_SV1]: codestream('JPEG Lossless, First-Order Prediction (Process 14, SV1)', UID.JPEG_LOSSLESS_SV1, ['jpeg-lossless'], false, true),
  [UID.JPEG_LS_LOSSLESS]: codestream('JPEG-LS Lossless', UID.JPEG_LS_LOSSLESS, ['jpeg-ls'], false),
  [UID.JPEG_LS_NEAR_LOSSLESS]: codestream('JPEG-LS Near-Lossless', UID.JPEG_LS_NEAR_LOSSLESS, ['jpeg-ls'], true),
  [UID.JPEG_2000_LOSSLESS]: codestream('JPEG 2000 (Lossless Only)', UID.JPEG_2000_LOSSLESS, ['jpeg-2000'], false),
  [UID.JPEG_2000]: codestream('JPEG 2000', UID.JPEG_2000, ['jpeg-2000'], true),
  [UID.HTJ2K_LOSSLESS]: codestream('HTJ2K (Lossless Only)', UID.HTJ2K_LOSSLESS, ['htj2k', 'jpeg-2000'], false),
  [UID.HTJ2K_LOSSLESS_RPCL]: codestream('HTJ2K with RPCL Options (Lossless Only)', UID.HTJ2K_LOSSLESS_RPCL, ['htj2k', 'jpeg-2000'], false),
  [UID.HTJ2K]: codestream('HTJ2K', UID.HTJ2K, ['htj2k', 'jpeg-2000'], true),
};

export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return Object.prototype.hasOwnProperty.call(TRANSFER_SYNTAXES, uid) ? TRANSFER_SYNTAXES[uid] : undefined;
}
