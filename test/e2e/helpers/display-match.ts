/**
 * Compares what the viewport shows with what the file should look like: the expected grey
 * levels come from core/preprocess's display stages (modality LUT → file window →
 * MONOCHROME1 inversion) run in Node on the same file, sampled where cornerstone's
 * fit-to-window puts each image pixel on the canvas.
 */
import { readFileSync } from 'node:fs';
import { decodeImageFile } from '../../../core/image/decode-image-file.ts';
import type { DecodedImage } from '../../../core/dicom/decoded-image.ts';
import { greyFrame } from '../../../core/preprocess/grey-frame.ts';
import { DEFAULT_PREPROCESS_PARAMS } from '../../../core/preprocess/params.ts';
import type { PixelStats } from './viewer.ts';

export async function decodeInNode(path: string): Promise<DecodedImage> {
  return decodeImageFile(new Uint8Array(readFileSync(path)));
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Pearson correlation between the expected display grey of `frame` and the screenshot luma,
 * over a 48×48 grid of image positions (fit-to-window, no rotation).
 */
export function displayCorrelation(image: DecodedImage, frame: number, shot: PixelStats): number {
  const grey = greyFrame(image, frame, DEFAULT_PREPROCESS_PARAMS);
  const scale = Math.min(shot.width / image.columns, shot.height / image.rows);
  const ox = (shot.width - image.columns * scale) / 2;
  const oy = (shot.height - image.rows * scale) / 2;
  const expected: number[] = [];
  const seen: number[] = [];
  const n = 48;
  for (let gy = 0; gy < n; gy++) {
    for (let gx = 0; gx < n; gx++) {
      const col = Math.floor(((gx + 0.5) / n) * image.columns);
      const row = Math.floor(((gy + 0.5) / n) * image.rows);
      const x = Math.min(shot.width - 1, Math.floor(ox + (col + 0.5) * scale));
      const y = Math.min(shot.height - 1, Math.floor(oy + (row + 0.5) * scale));
      expected.push(grey.data[row * image.columns + col] as number);
      seen.push(shot.luma[y * shot.width + x] as number);
    }
  }
  return pearson(expected, seen);
}
