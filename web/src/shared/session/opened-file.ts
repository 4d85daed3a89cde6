import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';

/** Everything about an image but its pixels: what grouping, lists and overlays read. */
export type ImageHeader = Omit<DecodedImage, 'frames' | 'decodedFrameIndices'>;

/** A small greyscale rendering (display window applied), one byte per pixel, row-major. */
export interface Thumbnail {
  width: number;
  height: number;
  grey: Uint8Array;
}

/**
 * One image the user opened. The page keeps this much per image — never its pixels: those
 * are decoded from the image's source on demand (decode-client's byte-bounded cache).
 * 'decoding': the header is being read; 'ready': grouped (and shown in lists); 'error':
 * the typed error of the header read or of the full decode during triage.
 */
export interface OpenedFile {
  /** Session-local id (never derived from patient data). */
  id: string;
  name: string;
  /** Bytes, once the whole object was read (triage); not looked up at opening (see ImageSource.blob). */
  size?: number;
  status: 'decoding' | 'ready' | 'error';
  error?: SerializedError;
  /** Attributes and tags, no pixels. */
  image?: ImageHeader;
  /** Small rendering for the study list, once the image was triaged. */
  thumbnail?: Thumbnail;
  /** sha256 of the file's bytes, hex (known once triaged). */
  sha256?: string;
  /** Wall time of the decode in the worker (triage), ms. */
  decodeMs?: number;
}
