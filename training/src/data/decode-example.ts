/**
 * One example from file to model input: read → decodeImageFile (core/image, DICOM/PNG/JPEG)
 * → preprocessFrame (core/preprocess, frame 0). Runs in the decode workers and in-process.
 */
import { readFile } from 'node:fs/promises';
import type { DecodedImage } from '../../../core/dicom/decoded-image.ts';
import { preprocessFrame } from '../../../core/preprocess/preprocess-frame.ts';
import type { PreprocessParams } from '../../../core/preprocess/params.ts';

export type DecodeFn = (bytes: Uint8Array) => Promise<DecodedImage>;

let cachedDecode: Promise<DecodeFn> | undefined;

/** The project's decoder, core/image/decode-image-file.ts (loaded lazily). */
export function projectDecoder(): Promise<DecodeFn> {
  // Not a static import: keeps the CLI's start-up free of codec loading.
  cachedDecode ??= import('../../../core/image/decode-image-file.ts').then((m) => (bytes: Uint8Array) => m.decodeImageFile(bytes));
  return cachedDecode;
}

/** @returns Float32Array [H, W, 1] as documented in core/preprocess/preprocess-frame.ts. */
export async function preprocessFile(path: string, params: PreprocessParams, decode?: DecodeFn): Promise<Float32Array> {
  const bytes = new Uint8Array(await readFile(path));
  const image = await (decode ?? (await projectDecoder()))(bytes);
  return preprocessFrame(image, 0, params).data;
}
