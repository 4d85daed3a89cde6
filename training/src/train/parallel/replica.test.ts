/**
 * How the update is split between replica workers: contiguous shards of about equal size that
 * cover every trainable weight once, and Adam's state cut into shards and merged back unchanged.
 */
import { describe, expect, it } from 'vitest';
import { mergeOptimizerStates, shardOptimizerState, shardRange } from './replica.ts';

const SIZES = [72, 8, 8, 8, 576, 16, 16, 16, 2304, 32, 32, 32, 9216, 64, 64, 64, 256, 4];

describe('shards of the update', () => {
  it.each([1, 2, 3, 4])('split %i ways: contiguous, every weight once, sizes within one weight of equal', (count) => {
    const ranges = Array.from({ length: count }, (_, index) => shardRange(SIZES, { index, count }));
    expect(ranges[0]!.start).toBe(0);
    expect(ranges[count - 1]!.end).toBe(SIZES.length);
    ranges.slice(1).forEach((r, i) => expect(r.start).toBe(ranges[i]!.end));
    const total = SIZES.reduce((a, b) => a + b, 0);
    const largest = Math.max(...SIZES);
    for (const r of ranges) {
      const size = SIZES.slice(r.start, r.end).reduce((a, b) => a + b, 0);
      expect(Math.abs(size - total / count)).toBeLessThanOrEqual(largest);
    }
  });

  it('gives the whole model to a single shard', () => {
    expect(shardRange(SIZES, { index: 0, count: 1 })).toEqual({ start: 0, end: SIZES.length });
  });

  it("cuts Adam's state (counter, first moments, second moments) into shards and merges it back", () => {
    const n = 5;
    const state = ['t', 'm0', 'm1', 'm2', 'm3', 'm4', 'v0', 'v1', 'v2', 'v3', 'v4'];
    const shards = [
      { start: 0, end: 2 },
      { start: 2, end: 5 },
    ].map((range) => shardOptimizerState(state, n, range));
    expect(shards).toEqual([
      ['t', 'm0', 'm1', 'v0', 'v1'],
      ['t', 'm2', 'm3', 'm4', 'v2', 'v3', 'v4'],
    ]);
    expect(mergeOptimizerStates(shards)).toEqual(state);
    // a fresh Adam (counter only) stays as it is
    expect(shardOptimizerState(['t'], n, { start: 2, end: 5 })).toEqual(['t']);
    expect(mergeOptimizerStates([['t'], ['t']])).toEqual(['t']);
  });
});
