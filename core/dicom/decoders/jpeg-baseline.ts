/**
 * DCT JPEG frames — baseline, extended sequential and progressive, 8- or 12-bit (transfer
 * syntaxes .50, .51, .53, .55) — with the project's own decoder (./jpeg-dct.ts), which decodes
 * like IJG/dcmtk/GDCM sample for sample. 8-bit grey sequential streams take the libjpeg-turbo
 * WASM codec instead (faster; the same islow integer IDCT, checked against dcmtk by
 * test/dicom-reference-oracles.test.ts).
 *
 * Colour: whether a 3-component stream holds YCbCr is decided by ../jpeg-colour-transform.ts;
 * YCbCr is converted to RGB with IJG's arithmetic, so the result is always RGB.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, DecoderContext, FrameInfo } from '../frame-info.ts';
import { jpegHasColourTransform } from '../jpeg-colour-transform.ts';
import { pixelsFromLittleEndian, signExtendInPlace } from '../pixel-arrays.ts';
import { checkCodestreamHeader } from './codec-output.ts';
import { decodeDctJpeg } from './jpeg-dct.ts';
import { decodeJpegBaselineGrey } from './wasm-codec.ts';

const SOF_SEQUENTIAL = new Set([0xffc0, 0xffc1]);

export async function decodeJpegDctFrame(frame: Uint8Array, info: FrameInfo, context: DecoderContext): Promise<DecodedFrame> {
  const header = checkCodestreamHeader(readJpegHeader(frame), info, 'JPEG');
  if ((header.precision !== 8 && header.precision !== 12) || info.bitsAllocated === 1 || info.bitsAllocated > 16 || (header.precision === 12 && info.bitsAllocated !== 16)) {
    throw new RadLocalError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `This JPEG image has ${header.precision}-bit samples in a ${info.bitsAllocated}-bit container; RadLocal decodes 8- and 12-bit DCT JPEG (12-bit in a 16-bit container).`,
    );
  }
  if (info.samplesPerPixel === 1 && header.precision === 8 && SOF_SEQUENTIAL.has(header.marker)) return decodeJpegBaselineGrey(frame, info, context);
  const colourTransform = info.samplesPerPixel === 3 && jpegHasColourTransform(frame, info.photometricInterpretation);
  const decoded = decodeDctJpeg(frame, { maxSamples: info.rows * info.columns * info.samplesPerPixel, colourTransform });
  const bytes = new Uint8Array(decoded.samples.buffer, decoded.samples.byteOffset, decoded.samples.byteLength);
  const pixels = signExtendInPlace(pixelsFromLittleEndian(bytes, info, 2), info);
  return { pixels, photometricInterpretation: info.samplesPerPixel === 3 ? 'RGB' : info.photometricInterpretation };
}

/** The name core/image uses for JPEG files. */
export const decodeJpegBaseline = decodeJpegDctFrame;
