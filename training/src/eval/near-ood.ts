/**
 * Near-out-of-distribution variants of in-distribution images, made the way real files go
 * wrong: rotated 90/180/270°, flipped upside down, inverted (photometric interpretation
 * swapped), a quadrant cropped out, a wrong VOI window (far too narrow, or shifted by most of a
 * width), and "lateral-like" (one half of the chest stretched to the full width: one big lung
 * field with the spine along an edge — the closest a frontal phantom gets to a lateral view).
 * Used by the OOD benchmark (`radlocal evaluate --ood-near N`, bench/ood.ts). Training augments
 * only by ±7° rotation, ±8 % scale, ±6 % shift and small brightness/contrast/noise changes.
 */
import type { DecodedImage, PixelArray } from '../../../core/dicom/decoded-image.ts';
import { frameOf } from '../../../core/preprocess/grey-frame.ts';

export const NEAR_TRANSFORMS = ['rot90', 'rot180', 'rot270', 'upside-down', 'inverted', 'cropped', 'wrong-window', 'lateral-like'] as const;
export type NearTransform = (typeof NEAR_TRANSFORMS)[number];

/** A copy of frame `f` of `image` as a one-frame image with new pixels and size. */
function withPixels(image: DecodedImage, frame: PixelArray, rows: number, columns: number, overrides: Partial<DecodedImage> = {}): DecodedImage {
  return { ...image, rows, columns, numberOfFrames: 1, frames: [frame], ...overrides };
}

function remap(image: DecodedImage, rows: number, columns: number, source: (r: number, c: number) => number, overrides: Partial<DecodedImage> = {}): DecodedImage {
  const src = frameOf(image, 0);
  const out = new (src.constructor as new (n: number) => PixelArray)(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[r * columns + c] = src[source(r, c)] as number;
  return withPixels(image, out, rows, columns, overrides);
}

/** Applies one near-OOD transform to a grey one-sample image; `k` varies the variant (quadrant, window). */
export function nearTransform(image: DecodedImage, t: NearTransform, k: number): DecodedImage {
  const { rows: R, columns: C } = image;
  switch (t) {
    case 'rot90':
      return remap(image, C, R, (r, c) => (R - 1 - c) * C + r);
    case 'rot180':
      return remap(image, R, C, (r, c) => (R - 1 - r) * C + (C - 1 - c));
    case 'rot270':
      return remap(image, C, R, (r, c) => c * C + (C - 1 - r));
    case 'upside-down':
      return remap(image, R, C, (r, c) => (R - 1 - r) * C + c);
    case 'inverted': {
      const p = image.photometricInterpretation === 'MONOCHROME1' ? 'MONOCHROME2' : 'MONOCHROME1';
      return { ...image, photometricInterpretation: p, photometricInterpretationStored: p };
    }
    case 'cropped': {
      const h = Math.floor(R / 2);
      const w = Math.floor(C / 2);
      const r0 = k % 2 === 0 ? 0 : R - h;
      const c0 = Math.floor(k / 2) % 2 === 0 ? 0 : C - w;
      return remap(image, h, w, (r, c) => (r0 + r) * C + c0 + c);
    }
    case 'wrong-window': {
      // The file's window, or (for a file with a VOI LUT or none) the full stored range.
      let center = image.windowCenter[0];
      let width = image.windowWidth[0];
      if (center === undefined || width === undefined) {
        const frame = frameOf(image, 0);
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < frame.length; i++) {
          lo = Math.min(lo, frame[i] as number);
          hi = Math.max(hi, frame[i] as number);
        }
        center = (lo + hi) / 2;
        width = Math.max(1, hi - lo);
      }
      // Alternately far too narrow (a bone/lung-detail window) and shifted by most of a width.
      const window = k % 2 === 0 ? { c: center, w: width * 0.15 } : { c: center + (k % 4 === 1 ? 0.7 : -0.7) * width, w: width };
      return { ...image, windowCenter: [window.c], windowWidth: [window.w], voiLut: undefined };
    }
    case 'lateral-like': {
      const half = Math.floor(C / 2);
      const c0 = k % 2 === 0 ? 0 : C - half;
      return remap(image, R, C, (r, c) => r * C + c0 + Math.min(half - 1, Math.floor(c / 2)));
    }
  }
}
