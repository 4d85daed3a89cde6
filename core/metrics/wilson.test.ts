import { describe, expect, it } from 'vitest';
import { trialsForHalfWidth, wilsonHalfWidth, wilsonInterval } from './wilson.ts';

describe('wilsonInterval', () => {
  it('matches published values (8 of 10, 0 of 10, 10 of 10 at 95 %)', () => {
    // Newcombe (1998) Table I / R binom::binom.wilson.
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4901625, 6);
    expect(hi).toBeCloseTo(0.9433178, 6);
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.2775328, 6);
    expect(wilsonInterval(10, 10)[0]).toBeCloseTo(0.7224672, 6);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
  });

  it('is NaN without trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual([NaN, NaN]);
    expect(() => wilsonInterval(3, 2)).toThrow(/0 ≤ successes ≤ n/);
  });
});

describe('trialsForHalfWidth', () => {
  it('finds the first n whose half-width meets the bound', () => {
    const n = trialsForHalfWidth(0.9, 0.1);
    expect(n).toBe(37);
    expect(wilsonHalfWidth(0.9, n)).toBeLessThanOrEqual(0.1);
    expect(wilsonHalfWidth(0.9, n - 1)).toBeGreaterThan(0.1);
    // p = 0.5 is the widest: about 1.96² / (4 · 0.1²) ≈ 96.
    expect(trialsForHalfWidth(0.5, 0.1)).toBe(93);
  });
});
