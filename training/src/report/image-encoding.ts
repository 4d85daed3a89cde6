/**
 * Small images for the HTML report: the model input as a grey picture and the class
 * activation map blended over it, encoded as PNG data URLs (fast-png) so the report stays
 * one self-contained file.
 */
import { encode } from 'fast-png';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

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

/** Colour stops of the heat colour map (dark purple → red → yellow), value t in [0, 1]. */
const HEAT_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 40, 11, 84],
  [0.35, 172, 37, 88],
  [0.65, 240, 96, 38],
  [1, 252, 233, 100],
];

/** Heat colour of t ∈ [0, 1] (clamped), linear between the stops. @return [r, g, b] 0–255. */
export function heatColour(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t));
  for (let s = 1; s < HEAT_STOPS.length; s++) {
    const [t1, r1, g1, b1] = HEAT_STOPS[s]!;
    if (v <= t1) {
      const [t0, r0, g0, b0] = HEAT_STOPS[s - 1]!;
      const f = (v - t0) / (t1 - t0);
      return [Math.round(r0 + (r1 - r0) * f), Math.round(g0 + (g1 - g0) * f), Math.round(b0 + (b1 - b0) * f)];
    }
  }
  const [, r, g, b] = HEAT_STOPS[HEAT_STOPS.length - 1]!;
  return [r, g, b];
}

/**
 * Blends an activation map over a grey image: each pixel moves towards the heat colour of the
 * map by `opacity · cam`, so regions without evidence keep the plain image.
 * @param cam [0, 1] map of the image's size, row-major.
 */
export function overlayCam(base: RgbaImage, cam: ArrayLike<number>, opacity = 0.65): RgbaImage {
  checkSize(cam.length, base.width, base.height, 'an activation map');
  const data = new Uint8Array(base.data);
  for (let i = 0; i < cam.length; i++) {
    const t = Math.min(1, Math.max(0, (cam[i] as number) || 0));
    const a = opacity * t;
    const colour = heatColour(t);
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round((base.data[i * 4 + c] as number) * (1 - a) + colour[c]! * a);
  }
  return { data, width: base.width, height: base.height };
}

/** PNG (8-bit RGBA) as a `data:image/png;base64,…` URL. */
export function pngDataUrl(image: RgbaImage): string {
  const png = encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
