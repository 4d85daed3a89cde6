/**
 * Compressed frames are decoded by what their codestream declares — the JPEG SOF marker, the
 * JPEG-LS SOF55 marker, the JPEG 2000 SOC/SIZ (and CAP for High-Throughput) — not by the
 * transfer syntax UID alone. Archives hold files whose UID disagrees with their codestream
 * (a progressive stream labelled baseline, a lossless stream labelled SV1 with another
 * predictor); dcmtk and GDCM decode those, and so does RadLocal, with a warning that says
 * what the file claimed and what it holds (DecodedImage.warnings, `radlocal inspect`).
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { findJ2kMarker, j2kCodestreamStart, readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, FrameDecoder } from '../frame-info.ts';
import { decodeJpegDctFrame } from './jpeg-baseline.ts';
import { decodeJpegLosslessFrame } from './jpeg-lossless.ts';
import { decodeHtj2k, decodeJpeg2000, decodeJpegLs } from './wasm-codec.ts';

export type CodestreamKind = 'jpeg-baseline' | 'jpeg-extended' | 'jpeg-progressive' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000' | 'htj2k';

const KIND_NAMES: Record<CodestreamKind, string> = {
  'jpeg-baseline': 'JPEG baseline (SOF0)',
  'jpeg-extended': 'JPEG extended sequential (SOF1)',
  'jpeg-progressive': 'JPEG progressive (SOF2)',
  'jpeg-lossless': 'JPEG lossless (SOF3)',
  'jpeg-ls': 'JPEG-LS (SOF55)',
  'jpeg-2000': 'JPEG 2000',
  htj2k: 'High-Throughput JPEG 2000',
};

const JPEG_SOF_KINDS: Record<number, CodestreamKind> = { 0xc0: 'jpeg-baseline', 0xc1: 'jpeg-extended', 0xc2: 'jpeg-progressive', 0xc3: 'jpeg-lossless', 0xf7: 'jpeg-ls' };
const CAP = 0x50;

/** What a frame's codestream is, from its first marker segments; throws for codestreams RadLocal cannot decode. */
export function codestreamKind(frame: Uint8Array): CodestreamKind {
  const j2k = j2kCodestreamStart(frame);
  if (j2k >= 0 && (frame[0] !== 0xff || frame[1] !== 0xd8)) {
    const siz = j2k + 4 + (((frame[j2k + 4] ?? 0) << 8) | (frame[j2k + 5] ?? 0)); // SOC, SIZ marker, Lsiz
    return findJ2kMarker(frame, siz, CAP) === undefined ? 'jpeg-2000' : 'htj2k';
  }
  const header = readJpegHeader(frame);
  if (!header) throw new RadLocalError('DICOM_DECODE_FAILED', 'The compressed pixel data holds no JPEG, JPEG-LS or JPEG 2000 codestream header.');
  const kind = JPEG_SOF_KINDS[header.marker & 0xff];
  if (!kind) {
    throw new RadLocalError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `The JPEG codestream uses marker 0x${header.marker.toString(16).toUpperCase()} (hierarchical or arithmetic-coded JPEG), which RadLocal cannot decode.`,
    );
  }
  return kind;
}

const DECODERS: Record<CodestreamKind, FrameDecoder> = {
  'jpeg-baseline': decodeJpegDctFrame,
  'jpeg-extended': decodeJpegDctFrame,
  'jpeg-progressive': decodeJpegDctFrame,
  'jpeg-lossless': async (frame, info) => decodeJpegLosslessFrame(frame, info),
  'jpeg-ls': decodeJpegLs,
  'jpeg-2000': decodeJpeg2000,
  htj2k: decodeHtj2k,
};

export interface CodestreamExpectation {
  /** The transfer syntax's name, for the warning. */
  syntax: string;
  /** Codestreams the transfer syntax allows. */
  kinds: readonly CodestreamKind[];
  /** Selection value 1 (transfer syntax .70): another predictor is decoded, with a warning. */
  predictor1?: boolean;
}

/** A frame decoder for a compressed transfer syntax that follows the codestream and reports disagreement. */
export function decodeByCodestream(expected: CodestreamExpectation): FrameDecoder {
  return async (frame, info, context): Promise<DecodedFrame> => {
    const kind = codestreamKind(frame);
    const warnings: string[] = [];
    if (!expected.kinds.includes(kind)) {
      warnings.push(`The transfer syntax says ${expected.syntax}, but the pixel data is ${KIND_NAMES[kind]}; RadLocal decoded it as the codestream declares.`);
    }
    if (kind === 'jpeg-lossless') {
      const decoded = decodeJpegLosslessFrame(frame, info);
      if (expected.predictor1 && decoded.predictor !== 1) {
        warnings.push(`The transfer syntax says ${expected.syntax} (predictor 1), but the codestream uses predictor ${decoded.predictor}; RadLocal decoded it as the codestream declares.`);
      }
      return { pixels: decoded.pixels, photometricInterpretation: decoded.photometricInterpretation, ...(warnings.length ? { warnings } : {}) };
    }
    const decoded = await DECODERS[kind](frame, info, context);
    return warnings.length ? { ...decoded, warnings: [...(decoded.warnings ?? []), ...warnings] } : decoded;
  };
}
