/**
 * Small images for the HTML report: the model input as a grey picture and the class
 * activation map blended over it (core/model/heatmap-colours.ts, as in the viewer), encoded
 * as PNG data URLs (fast-png) so the report stays one self-contained file.
 */
import { encode } from 'fast-png';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { blendCam } from '../../../core/model/heatmap-colours.ts';

export interface RgbaImage {
  /** Row-major RGBA, 8 bits per channel, length width · height · 4. */
  data: Uint8Array;
  width: number;
  height: number;
}

function checkSize(length: number, width: number, height: number, what: string): void {
  if (length !== width * height) {
    throw new RadLocalError('INTERNAL', `Expected ${what} of ${width}×${height} (${width * height} values), but got ${length}.`);
  }
}

/**
 * Undoes the model-input normalisation and renders it grey: grey = v · std + mean, clamped to
 * [0, 1] (0 = black), then scaled to 0–255 with rounding.
 * @param input model input of shape [height, width, 1] float32 (core/preprocess output).
 */
export function inputToGrey(input: ArrayLike<number>, width: number, height: number, normalisation: { mean: number; std: number }): RgbaImage {
  checkSize(input.length, width, height, 'a model input');
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const grey = Math.min(1, Math.max(0, (input[i] as number) * normalisation.std + normalisation.mean));
    const v = Math.round(grey * 255);
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { data, width, height };
}

/**
 * Blends an activation map over a grey image with core's one heatmap colouring (the viewer's):
 * the same ramp and transparency, composited at `opacity` as the viewer's canvas does.
 * @param cam map of the image's size, row-major (scaled by its own positive maximum).
 */
export function overlayCam(base: RgbaImage, cam: ArrayLike<number>, opacity = 0.65): RgbaImage {
  checkSize(cam.length, base.width, base.height, 'an activation map');
  return { data: blendCam(base.data, cam, base.width, base.height, opacity), width: base.width, height: base.height };
}

/** PNG (8-bit RGBA) as a `data:image/png;base64,…` URL. */
export function pngDataUrl(image: RgbaImage): string {
  const png = encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
