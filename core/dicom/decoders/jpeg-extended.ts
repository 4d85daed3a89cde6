/**
 * JPEG extended (processes 2 & 4, transfer syntax .51). 8-bit streams are baseline-compatible
 * and go to the baseline decoder; 12-bit streams go to the project's own sequential DCT
 * decoder (./jpeg-dct.ts), because npm has no 12-bit JPEG decoder (FIELD-NOTES.md).
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { ybrFullToRgb } from '../color.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, DecoderContext, FrameInfo } from '../frame-info.ts';
import { jpegHasColourTransform } from '../jpeg-colour-transform.ts';
import { pixelsFromLittleEndian, signExtendInPlace } from '../pixel-arrays.ts';
import { checkCodestreamHeader } from './codec-output.ts';
import { decodeJpegBaseline } from './jpeg-baseline.ts';
import { decodeDctJpeg } from './jpeg-dct.ts';

export async function decodeJpegExtended(frame: Uint8Array, info: FrameInfo, context: DecoderContext): Promise<DecodedFrame> {
  const header = checkCodestreamHeader(readJpegHeader(frame), info, 'JPEG extended');
  if (header.precision === 8) return decodeJpegBaseline(frame, info, context);
  if (header.precision !== 12 || info.bitsAllocated !== 16) {
    throw new RadLocalError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `This JPEG Extended image has ${header.precision}-bit samples in a ${info.bitsAllocated}-bit container; RadLocal decodes 8- and 12-bit JPEG Extended only.`,
    );
  }
  const decoded = decodeDctJpeg(frame, info.rows * info.columns * info.samplesPerPixel);
  let pixels = pixelsFromLittleEndian(new Uint8Array(decoded.samples.buffer), info, 2);
  signExtendInPlace(pixels, info);
  if (info.samplesPerPixel === 3 && jpegHasColourTransform(frame, info.photometricInterpretation)) {
    pixels = ybrFullToRgb(pixels, decoded.precision);
    return { pixels, photometricInterpretation: 'RGB' };
  }
  return { pixels, photometricInterpretation: info.samplesPerPixel === 3 ? 'RGB' : info.photometricInterpretation };
}
