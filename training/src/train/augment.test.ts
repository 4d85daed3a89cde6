import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/random/seeded-random.ts';
import { augmentImage, DEFAULT_AUGMENT } from './augment.ts';
import { learningRateAt } from './schedule.ts';

const NONE = { rotationDegrees: 0, scale: 0, translate: 0, brightness: 0, contrast: 0, noise: 0, flipProbability: 0, fillValue: 0 };

describe('augmentImage', () => {
  const size = 16;
  const src = Float32Array.from({ length: size * size }, (_, i) => (i % size) / size + Math.floor(i / size) / (2 * size));

  it('is the identity with every amplitude at zero', () => {
    const out = augmentImage(src, size, seededRandom(1), NONE);
    // interior pixels are reproduced exactly; the last row/column sample the fill
    for (let y = 0; y < size - 1; y++) for (let x = 0; x < size - 1; x++) expect(out[y * size + x]).toBeCloseTo(src[y * size + x]!, 6);
  });

  it('flips left-right only when asked', () => {
    const flipped = augmentImage(src, size, seededRandom(1), { ...NONE, flipProbability: 1 });
    expect(flipped[1 * size + 2]).toBeCloseTo(src[1 * size + (size - 1 - 2)]!, 5);
  });

  it('adds brightness and is deterministic per seed', () => {
    const brighter = augmentImage(src, size, () => 1, { ...NONE, brightness: 0.2 }); // u() = +amplitude
    expect(brighter[5 * size + 5]).toBeCloseTo(src[5 * size + 5]! + 0.2, 6);
    const a = augmentImage(src, size, seededRandom(9), DEFAULT_AUGMENT);
    const b = augmentImage(src, size, seededRandom(9), DEFAULT_AUGMENT);
    const c = augmentImage(src, size, seededRandom(10), DEFAULT_AUGMENT);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('learningRateAt', () => {
  it('warms up linearly then decays by a cosine to the floor', () => {
    const o = { base: 1, warmupSteps: 4, totalSteps: 14, floor: 0 };
    expect([0, 1, 2, 3].map((s) => learningRateAt(s, o))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(learningRateAt(4, o)).toBe(1);
    expect(learningRateAt(9, o)).toBeCloseTo(0.5, 12);
    expect(learningRateAt(14, o)).toBeCloseTo(0, 12);
  });
});
