import { describe, expect, it } from 'vitest';
import { compareWithCpu, randomInput } from './kernel-test-utils.ts';
import { flatRepeatCount } from './tile.ts';

describe('flatRepeatCount', () => {
  it('recognises a leading-axes broadcast of x', () => {
    expect(flatRepeatCount([1, 1, 1, 16], [32, 64, 64, 1])).toBe(32 * 64 * 64);
    expect(flatRepeatCount([1, 5, 3], [4, 1, 1])).toBe(4);
    expect(flatRepeatCount([2, 3], [1, 1])).toBe(1);
    expect(flatRepeatCount([1, 3], [2, 2])).toBe(4); // rows [x, x], twice
  });

  it('refuses a repeat after a non-unit axis (not a flat copy)', () => {
    expect(flatRepeatCount([2, 1, 3], [1, 4, 1])).toBeUndefined();
    expect(flatRepeatCount([3, 2], [2, 3])).toBeUndefined();
  });
});

describe('Tile on wasm matches the cpu backend', () => {
  const cases: [number[], number[]][] = [
    [[1, 1, 1, 16], [3, 5, 7, 1]], // batch-norm gradient broadcast
    [[1, 1, 1, 5], [2, 3, 3, 1]],
    [[1, 4, 6], [5, 1, 1]],
    [[7], [9]],
    [[2, 1, 3], [1, 4, 2]], // general case: tfjs's kernel
    [[3, 2], [2, 3]],
    [[1, 3], [2, 2]],
  ];
  it.each(cases)('x %j reps %j', async (shape, reps) => {
    const result = await compareWithCpu('Tile', { x: randomInput(shape, shape.length * 13 + reps[0]!) }, { reps });
    expect(result.wasmShape).toEqual(shape.map((s, i) => s * reps[i]!));
    expect(result.cpuShape).toEqual(result.wasmShape);
    expect(result.error).toBe(0);
  });
});
