/**
 * The cornerstone image loader for `radlocal:<fileId>/<frame>` ids. It wraps the decode
 * worker (core/dicom), so the viewport shows the very pixels the model reads.
 */
import cornerstone from 'cornerstone-core';
import type { Image, ImageLoadObject } from 'cornerstone-core';
import { decodedImage } from '../decode/decode-client.ts';
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
  const decoded = decodedImage(fileId);
  if (!decoded) throw new Error(`No opened file ${fileId}`);
  const { image } = await decoded;
  return toCornerstoneImage(imageId, image, frame);
}

let registered = false;
export function registerRadLocalImageLoader(): void {
  if (registered) return;
  registered = true;
  cornerstone.registerImageLoader(SCHEME, (imageId: string): ImageLoadObject => ({ promise: load(imageId) }));
}
