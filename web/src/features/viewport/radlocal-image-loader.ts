/**
 * The cornerstone image loader for `radlocal:<fileId>/<frame>` ids. It decodes that one
 * frame on demand from the file's source in the decode worker (core/dicom), so the viewport
 * shows the very pixels the model reads, and a 500-frame series scrolls without decoding
 * the frames it does not show. Decoded frames are kept by decode-client's byte-bounded
 * cache, not by cornerstone's (use `cornerstone.loadImage`, never `loadAndCacheImage`).
 */
import cornerstone from 'cornerstone-core';
import type { Image, ImageLoadObject } from 'cornerstone-core';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { decodeFrame } from '../../shared/decode/decode-client.ts';
import { findFile, sourceOf } from '../../shared/session/session-store.ts';
import { toCornerstoneImage } from './to-cornerstone-image.ts';

export const SCHEME = 'radlocal';

export function imageIdOf(fileId: string, frame: number): string {
  return `${SCHEME}:${fileId}/${frame}`;
}

export function parseImageId(imageId: string): { fileId: string; frame: number } {
  const match = /^radlocal:([^/]+)\/(\d+)$/.exec(imageId);
  if (!match) throw new Error(`Expected an image id like radlocal:<file>/<frame>, but got ${imageId}`);
  return { fileId: match[1] as string, frame: Number(match[2]) };
}

async function load(imageId: string): Promise<Image> {
  const { fileId, frame } = parseImageId(imageId);
  const source = sourceOf(fileId);
  if (!source) throw new RadLocalError('INTERNAL', `The image ${fileId} is no longer open.`);
  const frames = findFile(fileId)?.image?.numberOfFrames ?? 1;
  const image = await decodeFrame(fileId, source, frame, frames > 1);
  return toCornerstoneImage(imageId, image, 0);
}

let registered = false;
export function registerRadLocalImageLoader(): void {
  if (registered) return;
  registered = true;
  cornerstone.registerImageLoader(SCHEME, (imageId: string): ImageLoadObject => ({ promise: load(imageId) }));
}
