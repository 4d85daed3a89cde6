/**
 * JPEG lossless, process 14 (any predictor) and selection value 1 (ISO 10918-1 Annex H), with
 * the pure-JS jpeg-lossless-decoder-js.
 */
import { Decoder } from 'jpeg-lossless-decoder-js';
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, FrameInfo } from '../frame-info.ts';
import { pixelsFromLittleEndian, signExtendInPlace } from '../pixel-arrays.ts';
import { checkCodestreamHeader } from './codec-output.ts';

const LOSSLESS_SOF = 0xffc3;

/**
 * @returns Interleaved samples, length rows * columns * samplesPerPixel, in the stored colour
 *   space (lossless JPEG has no colour transform).
 */
export async function decodeJpegLossless(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  const header = checkCodestreamHeader(readJpegHeader(frame), info, 'JPEG lossless');
  if (header.marker !== LOSSLESS_SOF) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `Expected a lossless JPEG (SOF3), but the codestream uses marker 0x${header.marker.toString(16).toUpperCase()}.`);
  }
  if (header.precision < 2 || header.precision > 16 || info.bitsAllocated > 16 || info.bitsAllocated === 1) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `JPEG lossless of ${header.precision}-bit samples in a ${info.bitsAllocated}-bit container is not supported.`);
  }
  const sampleBytes = header.precision > 8 ? 2 : 1;
  let decoded: Uint8Array | Uint16Array;
  try {
    // The decoder reads through a DataView over the ArrayBuffer it is given; copy so it can never see or keep the caller's buffer.
    const copy = frame.slice();
    decoded = new Decoder().decode(copy.buffer, 0, copy.length, sampleBytes) as Uint8Array | Uint16Array;
  } catch (error) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The JPEG lossless decoder could not decode this image (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const expected = info.rows * info.columns * info.samplesPerPixel;
  if (!decoded || decoded.length < expected) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The JPEG lossless decoder returned ${decoded?.length ?? 0} samples, expected ${expected}.`);
  }
  const bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, expected * sampleBytes);
  const pixels = signExtendInPlace(pixelsFromLittleEndian(bytes, info, sampleBytes), info);
  return { pixels, photometricInterpretation: info.photometricInterpretation };
}
