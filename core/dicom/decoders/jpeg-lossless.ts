/**
 * JPEG lossless, process 14 (any predictor) and selection value 1 (ISO 10918-1 Annex H), with
 * the project's own decoder (./jpeg-lossless-decoder.ts).
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, FrameInfo } from '../frame-info.ts';
import { pixelsFromLittleEndian, signExtendInPlace } from '../pixel-arrays.ts';
import { checkCodestreamHeader } from './codec-output.ts';
import { decodeLosslessJpeg } from './jpeg-lossless-decoder.ts';

/**
 * @returns Interleaved samples, length rows * columns * samplesPerPixel, in the stored colour
 *   space (lossless JPEG has no colour transform), and the predictor the codestream used.
 */
export function decodeJpegLosslessFrame(frame: Uint8Array, info: FrameInfo): DecodedFrame & { predictor: number } {
  const header = checkCodestreamHeader(readJpegHeader(frame), info, 'JPEG lossless');
  if (header.precision < 2 || header.precision > 16 || info.bitsAllocated > 16 || info.bitsAllocated === 1 || (header.precision > 8 && info.bitsAllocated === 8)) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `JPEG lossless of ${header.precision}-bit samples in a ${info.bitsAllocated}-bit container is not supported.`);
  }
  const decoded = decodeLosslessJpeg(frame, info.rows * info.columns * info.samplesPerPixel);
  const bytes = new Uint8Array(decoded.samples.buffer, decoded.samples.byteOffset, decoded.samples.byteLength);
  const pixels = signExtendInPlace(pixelsFromLittleEndian(bytes, info, 2), info);
  return { pixels, photometricInterpretation: info.photometricInterpretation, predictor: decoded.predictor };
}
