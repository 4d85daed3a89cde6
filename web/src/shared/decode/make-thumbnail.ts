/**
 * A small greyscale rendering of one decoded frame for the study list: box-averaged down to
 * at most `size` px on the long side (over every `step`-th row and column, about 4 samples
 * per thumbnail pixel and axis, so a 2048² frame costs 65 k reads, not 4 M), in the file's first display window (else the frame's
 * value range), MONOCHROME1 inverted (PS3.3 C.7.6.3.1.2), colour as luma. Kept instead of
 * the frame, so the list never needs decoded pixels.
 */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { Thumbnail } from '../session/opened-file.ts';

export function makeThumbnail(image: DecodedImage, frameIndex: number, size = 64): Thumbnail {
  const frame = image.frames[frameIndex];
  const { rows, columns } = image;
  const scale = Math.max(rows, columns) / size;
  const width = Math.max(1, Math.round(columns / Math.max(scale, 1)));
  const height = Math.max(1, Math.round(rows / Math.max(scale, 1)));
  const grey = new Uint8Array(width * height);
  if (!frame) return { width, height, grey };
  const spp = image.samplesPerPixel;
  const colour = spp === 3;
  const sum = new Float64Array(width * height);
  const count = new Uint32Array(width * height);
  const step = Math.max(1, Math.floor(scale / 4));
  for (let y = 0; y < rows; y += step) {
    const ty = Math.min(height - 1, Math.floor((y * height) / rows));
    for (let x = 0; x < columns; x += step) {
      const tx = Math.min(width - 1, Math.floor((x * width) / columns));
      const p = (y * columns + x) * spp;
      const v = colour ? 0.299 * (frame[p] as number) + 0.587 * (frame[p + 1] as number) + 0.114 * (frame[p + 2] as number) : (frame[p] as number);
      const t = ty * width + tx;
      sum[t] = (sum[t] as number) + v;
      count[t] = (count[t] as number) + 1;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  const slope = colour ? 1 : image.rescaleSlope;
  const intercept = colour ? 0 : image.rescaleIntercept;
  for (let i = 0; i < sum.length; i++) {
    const v = ((sum[i] as number) / Math.max(1, count[i] as number)) * slope + intercept;
    sum[i] = v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const centre = image.windowCenter[0];
  const widthW = image.windowWidth[0];
  if (!colour && centre !== undefined && widthW !== undefined && widthW > 0) {
    lo = centre - widthW / 2;
    hi = centre + widthW / 2;
  }
  const range = Math.max(hi - lo, 1e-9);
  const invert = image.photometricInterpretation === 'MONOCHROME1';
  for (let i = 0; i < sum.length; i++) {
    const t = Math.min(1, Math.max(0, ((sum[i] as number) - lo) / range));
    grey[i] = Math.round(255 * (invert ? 1 - t : t));
  }
  return { width, height, grey };
}
