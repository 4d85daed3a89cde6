import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';

export interface DecodeRequest {
  id: string;
  bytes: ArrayBuffer;
}

export type DecodeResponse =
  | { id: string; ok: true; image: DecodedImage; sha256: string; decodeMs: number }
  | { id: string; ok: false; error: SerializedError; sha256: string };
