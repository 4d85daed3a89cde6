import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';

/** One file the user opened, from bytes on disk to a decoded image (or a typed error). */
export interface OpenedFile {
  /** Session-local id (never derived from patient data). */
  id: string;
  name: string;
  size: number;
  status: 'decoding' | 'ready' | 'error';
  error?: SerializedError;
  image?: DecodedImage;
  /** sha256 of the file's bytes, hex. */
  sha256?: string;
  /** Wall time of the decode in the worker, ms. */
  decodeMs?: number;
}
