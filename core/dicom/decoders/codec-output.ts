/** Checks shared by the codec-backed decoders: declared size before decoding, output size after. */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import type { CodestreamHeader } from '../codestream-headers.ts';
import type { FrameInfo } from '../frame-info.ts';

/**
 * Refuses a codestream whose declared size disagrees with Rows/Columns/SamplesPerPixel, before
 * the codec allocates anything.
 */
export function checkCodestreamHeader(header: CodestreamHeader | undefined, info: FrameInfo, kind: string): CodestreamHeader {
  if (!header) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `Expected a ${kind} codestream in the pixel data, but found no valid ${kind} header.`);
  }
  if (header.unsupported) {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The ${kind} codestream cannot be decoded safely: ${header.unsupported}.`);
  }
  if (header.rows !== info.rows || header.columns !== info.columns || header.components !== info.samplesPerPixel) {
    throw new RadLocalError(
      'DICOM_DECODE_FAILED',
      `The ${kind} codestream is ${header.columns}×${header.rows} with ${header.components} component(s), but the DICOM attributes say ${info.columns}×${info.rows} with ${info.samplesPerPixel}.`,
    );
  }
  return header;
}

/** Checks the codec's reported output size against the attributes. */
export function checkDecodedSize(width: number, height: number, components: number, info: FrameInfo, kind: string): void {
  if (width !== info.columns || height !== info.rows || components !== info.samplesPerPixel) {
    throw new RadLocalError(
      'DICOM_DECODE_FAILED',
      `The ${kind} decoder produced ${width}×${height}×${components}, but the DICOM attributes say ${info.columns}×${info.rows}×${info.samplesPerPixel}.`,
    );
  }
}
