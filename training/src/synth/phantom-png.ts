/** 8-bit PNG export of a phantom: the windowed image in MONOCHROME2 appearance, as public PNG datasets ship. */
import { encode } from 'fast-png';
import { greyFrame } from '../../../core/preprocess/grey-frame.ts';
import { phantomDecodedImage, type PhantomImage } from './generate-phantom.ts';

export function phantomPng(image: PhantomImage): Uint8Array {
  const grey = greyFrame(phantomDecodedImage(image), 0, { voi: 'file-then-percentile', percentileLow: 0.5, percentileHigh: 99.5 });
  const data = new Uint8Array(image.rows * image.columns);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((grey.data[i] as number) * 255);
  return encode({ width: image.columns, height: image.rows, data, channels: 1, depth: 8 });
}
