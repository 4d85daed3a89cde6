/** Messages between the page and the decode worker. */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';
import type { PreprocessedInput } from '../../../../core/preprocess/preprocess-frame.ts';
import type { ImageHeader, Thumbnail } from '../session/opened-file.ts';

/**
 * A triaged frame already preprocessed for the model, in the decode worker (core's
 * preprocessFrame with the model card's parameters): only this ~256 kB input travels on to the
 * inference worker, not the decoded frame (8 MB at 2048² 16-bit).
 */
export interface ModelInput extends Pick<PreprocessedInput, 'data' | 'height' | 'width' | 'channels' | 'geometry'> {
  preprocessMs: number;
  /** The parameters used, as JSON: the inference worker checks they are its model's. */
  preprocessing: string;
}


export type DecodeRequest =
  /** The bytes given are the file's head (`whole` false) or the whole file. */
  | { type: 'header'; id: number; bytes: ArrayBuffer; whole: boolean }
  /**
   * One frame for display. `bytes` may be left out when the worker still holds this file
   * (multi-frame files are kept after a frame request, so scrolling does not re-read them).
   */
  | { type: 'frame'; id: number; fileId: string; frame: number; bytes?: ArrayBuffer }
  /**
   * Decode `frame` for the model and thumbnail it. With the model card's `preprocessing` the
   * frame is preprocessed here and the model input comes back; without (model not ready yet),
   * or when preprocessing fails (the inference worker then reports why), the frame itself
   * comes back. Either goes back transferred, to be passed on to the inference worker.
   */
  | { type: 'triage'; id: number; bytes: ArrayBuffer; frame: number; preprocessing?: PreprocessParams }
  | { type: 'forget' };

export type DecodeResponse =
  | { type: 'header'; id: number; ok: true; header: ImageHeader }
  /** The head did not hold the whole header (or is not DICOM Part 10): send the whole file. */
  | { type: 'header'; id: number; ok: false; needWhole: true }
  | { type: 'frame'; id: number; ok: true; image: DecodedImage; decodeMs: number }
  | { type: 'frame'; id: number; ok: false; needBytes: true }
  | ({ type: 'triage'; id: number; ok: true; header: ImageHeader; sha256: string; decodeMs: number; thumbnail: Thumbnail } & ({ image: DecodedImage } | { input: ModelInput }))
  | { type: 'header' | 'frame' | 'triage'; id: number; ok: false; error: SerializedError; sha256?: string };
