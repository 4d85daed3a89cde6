/**
 * JPEG baseline 8-bit (process 1, and 8-bit process 2/4 streams). Grey images go to the
 * libjpeg-turbo WASM codec (fast). Colour images go to jpeg-js, because the WASM codec always
 * applies the YCbCr→RGB transform (wrong for RGB-coded streams such as pydicom's
 * SC_jpeg_no_color_transform) and was less faithful on 4:2:0 subsampled colour (max error 75
 * vs 8 against the lossless original) — see test/dicom-real-files.test.ts.
 */
import decodeWithJpegJs from 'jpeg-js/lib/decoder.js';
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, DecoderContext, FrameInfo } from '../frame-info.ts';
import { jpegHasColourTransform } from '../jpeg-colour-transform.ts';
import { pixelsFromLittleEndian } from '../pixel-arrays.ts';
import { checkCodestreamHeader, checkDecodedSize } from './codec-output.ts';
import { decodeJpegBaselineGrey } from './wasm-codec.ts';

export async function decodeJpegBaseline(frame: Uint8Array, info: FrameInfo, context: DecoderContext): Promise<DecodedFrame> {
  if (info.samplesPerPixel === 1) return decodeJpegBaselineGrey(frame, info, context);
  const header = checkCodestreamHeader(readJpegHeader(frame), info, 'JPEG baseline');
  if (header.precision !== 8 || info.bitsAllocated === 1 || info.bitsAllocated > 16) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `JPEG baseline of ${header.precision}-bit samples in a ${info.bitsAllocated}-bit container is not supported.`);
  }
  const colorTransform = jpegHasColourTransform(frame, info.photometricInterpretation);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = decodeWithJpegJs(frame, {
      useTArray: true,
      formatAsRGBA: false,
      colorTransform,
      tolerantDecoding: true,
      maxResolutionInMP: (info.rows * info.columns) / 1e6 + 1,
      maxMemoryUsageInMB: Math.ceil((info.rows * info.columns * 3 * 4) / 2 ** 20) + 16,
    });
  } catch (error) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The JPEG baseline decoder could not decode this image (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  checkDecodedSize(decoded.width, decoded.height, decoded.data.length / Math.max(1, decoded.width * decoded.height), info, 'JPEG baseline');
  return { pixels: pixelsFromLittleEndian(decoded.data, info, 1), photometricInterpretation: 'RGB' };
}
