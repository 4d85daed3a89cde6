/**
 * JPEG extended (process 2 & 4, transfer syntax .51). Streams with 8-bit precision are plain
 * baseline-compatible DCT and go to libjpeg-turbo; 12-bit precision has no decoder in this
 * project (no npm codec exists, see FIELD-NOTES.md), so it is refused with a typed error.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { readJpegHeader } from '../codestream-headers.ts';
import type { DecodedFrame, DecoderContext, FrameInfo } from '../frame-info.ts';
import { decodeJpegBaseline } from './jpeg-baseline.ts';

export async function decodeJpegExtended(frame: Uint8Array, info: FrameInfo, context: DecoderContext): Promise<DecodedFrame> {
  const header = readJpegHeader(frame);
  if (header && header.precision === 8) return decodeJpegBaseline(frame, info, context);
  throw new RadLocalError(
    'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
    `This image is compressed with 12-bit JPEG (JPEG Extended, 1.2.840.10008.1.2.4.51), which RadLocal cannot decode yet${header ? ` (stream precision ${header.precision} bits)` : ''}. Export it uncompressed or lossless and try again.`,
  );
}
