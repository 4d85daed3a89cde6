/**
 * One example from file to model input: read → decodeImageFile (core/image, DICOM/PNG/JPEG)
 * → preprocessFrame (core/preprocess, frame 0). Runs in the decode workers and in-process.
 */
import { createHash } from 'node:crypto';
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

/** What the dataset check learns from a decoded image besides the model input. */
export interface ImageInfo {
  /** SHA-1 of the first frame's decoded pixel values with its size: equal for identical images in any file format. */
  pixelHash: string;
  /** DICOM ViewPosition (0018,5101), normalised by the caller; undefined for PNG/JPEG or when absent. */
  viewPosition: string | undefined;
}

export function imageInfo(image: DecodedImage): ImageInfo {
  const frame = image.frames[0];
  const hash = createHash('sha1').update(`${image.rows}x${image.columns}x${image.samplesPerPixel}:`);
  if (frame) hash.update(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
  return { pixelHash: hash.digest('hex'), viewPosition: image.viewPosition?.trim() || undefined };
}

/** @returns Float32Array [H, W, 1] as documented in core/preprocess/preprocess-frame.ts, and the image's ImageInfo. */
export async function preprocessFileWithInfo(path: string, params: PreprocessParams, decode?: DecodeFn): Promise<{ data: Float32Array; info: ImageInfo }> {
  const bytes = new Uint8Array(await readFile(path));
  const image = await (decode ?? (await projectDecoder()))(bytes);
  return { data: preprocessFrame(image, 0, params).data, info: imageInfo(image) };
}

/** @returns Float32Array [H, W, 1] as documented in core/preprocess/preprocess-frame.ts. */
export async function preprocessFile(path: string, params: PreprocessParams, decode?: DecodeFn): Promise<Float32Array> {
  return (await preprocessFileWithInfo(path, params, decode)).data;
}
