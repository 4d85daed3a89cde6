/**
 * Data augmentation suited to chest radiographs: small rotation, isotropic scale, translation,
 * brightness/contrast and Gaussian noise. No left–right flip by default (anatomy is not
 * symmetric: the heart sits on the left). Pure and seeded: the same random stream gives the
 * same output.
 */
import type { Random } from '../../../core/random/seeded-random.ts';

export interface AugmentOptions {
  /** Maximum absolute rotation in degrees. */
  rotationDegrees: number;
  /** Scale is drawn from [1 − scale, 1 + scale]. */
  scale: number;
  /** Maximum shift as a fraction of the image side. */
  translate: number;
  /** Additive brightness in input units (grey / std), drawn from ±brightness. */
  brightness: number;
  /** Contrast factor drawn from [1 − contrast, 1 + contrast], about the image mean. */
  contrast: number;
  /** Standard deviation of additive Gaussian noise is drawn from [0, noise]. */
  noise: number;
  /** Left–right flip probability (0 by default). */
  flipProbability: number;
  /** Value of pixels sampled from outside the image (the letterbox pad value). */
  fillValue: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  rotationDegrees: 7,
  scale: 0.08,
  translate: 0.06,
  brightness: 0.06,
  contrast: 0.12,
  noise: 0.02,
  flipProbability: 0,
  fillValue: 0,
};

export function describeAugment(o: AugmentOptions): string {
  return `rotation ±${o.rotationDegrees}°, scale ±${o.scale * 100}%, translation ±${o.translate * 100}%, brightness ±${o.brightness}, contrast ±${o.contrast * 100}%, noise σ ≤ ${o.noise}, left-right flip p=${o.flipProbability}`;
}

function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Augments one preprocessed image.
 * @param src shape [size, size] (the model input without its channel axis), float32.
 * @return a new array of the same shape.
 */
export function augmentImage(src: Float32Array, size: number, random: Random, o: AugmentOptions = DEFAULT_AUGMENT): Float32Array {
  const u = (a: number) => (random() * 2 - 1) * a;
  const angle = (u(o.rotationDegrees) * Math.PI) / 180;
  const scale = 1 + u(o.scale);
  const tx = u(o.translate) * size;
  const ty = u(o.translate) * size;
  const flip = random() < o.flipProbability ? -1 : 1;
  const contrast = 1 + u(o.contrast);
  const brightness = u(o.brightness);
  const sigma = random() * o.noise;

  // Inverse map: output pixel → source coordinates (rotate/scale about the centre, then shift).
  const c = (size - 1) / 2;
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const out = new Float32Array(size * size);
  let mean = 0;
  for (let i = 0; i < src.length; i++) mean += src[i] as number;
  mean /= src.length;
  for (let y = 0; y < size; y++) {
    const dy = y - c - ty;
    for (let x = 0; x < size; x++) {
      const dx = (x - c - tx) * flip;
      const sx = cos * dx + sin * dy + c;
      const sy = -sin * dx + cos * dy + c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      let v: number;
      if (x0 < 0 || y0 < 0 || x0 + 1 >= size || y0 + 1 >= size) {
        v = o.fillValue;
      } else {
        const wx = sx - x0;
        const wy = sy - y0;
        const i = y0 * size + x0;
        v =
          ((src[i] as number) * (1 - wx) + (src[i + 1] as number) * wx) * (1 - wy) +
          ((src[i + size] as number) * (1 - wx) + (src[i + size + 1] as number) * wx) * wy;
      }
      out[y * size + x] = (v - mean) * contrast + mean + brightness + (sigma > 0 ? sigma * gaussian(random) : 0);
    }
  }
  return out;
}
