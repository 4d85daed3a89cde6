/**
 * A small seeded pseudo-random generator (mulberry32) for reproducible bootstrap resampling.
 * Not cryptographic; 32-bit state; period 2^32.
 */
export type Random = () => number;

/** Returns a function that yields uniform numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): Random {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
