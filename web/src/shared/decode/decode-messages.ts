/** Messages between the page and the decode worker. */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ImageHeader, Thumbnail } from '../session/opened-file.ts';


export type DecodeRequest =
  /** The bytes given are the file's head (`whole` false) or the whole file. */
  | { type: 'header'; id: number; bytes: ArrayBuffer; whole: boolean }
  /**
   * One frame for display. `bytes` may be left out when the worker still holds this file
   * (multi-frame files are kept after a frame request, so scrolling does not re-read them).
   */
  | { type: 'frame'; id: number; fileId: string; frame: number; bytes?: ArrayBuffer }
  /** Decode `frame` for the model and thumbnail it; the frame goes back transferred, to be passed on to the inference worker. */
  | { type: 'triage'; id: number; bytes: ArrayBuffer; frame: number }
  | { type: 'forget' };

export type DecodeResponse =
  | { type: 'header'; id: number; ok: true; header: ImageHeader }
  /** The head did not hold the whole header (or is not DICOM Part 10): send the whole file. */
  | { type: 'header'; id: number; ok: false; needWhole: true }
  | { type: 'frame'; id: number; ok: true; image: DecodedImage; decodeMs: number }
  | { type: 'frame'; id: number; ok: false; needBytes: true }
  | { type: 'triage'; id: number; ok: true; image: DecodedImage; header: ImageHeader; sha256: string; decodeMs: number; thumbnail: Thumbnail }
  | { type: 'header' | 'frame' | 'triage'; id: number; ok: false; error: SerializedError; sha256?: string };
