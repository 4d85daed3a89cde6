import { describe, expect, it } from 'vitest';
import { compareWithCpu, randomInput } from './kernel-test-utils.ts';
import { leadingAxesCount } from './leading-axes-reduce.ts';

describe('leadingAxesCount', () => {
  it('counts a prefix of reduced axes', () => {
    expect(leadingAxesCount([4, 5, 6, 7], [0, 1, 2])).toBe(3);
    expect(leadingAxesCount([4, 5, 6, 7], [2, 0, 1])).toBe(3);
    expect(leadingAxesCount([4, 5], 0)).toBe(1);
    expect(leadingAxesCount([4, 5, 6], [-3, -2])).toBe(2);
  });

  it('refuses non-prefix and full reductions', () => {
    expect(leadingAxesCount([4, 5, 6], [1, 2])).toBeUndefined();
    expect(leadingAxesCount([4, 5, 6], [0, 2])).toBeUndefined();
    expect(leadingAxesCount([4, 5, 6], [0, 1, 2])).toBeUndefined();
  });
});

describe('Sum and Mean on wasm match the cpu backend', () => {
  const cases: [string, number[], number[], boolean][] = [
    ['Sum', [3, 9, 7, 16], [0, 1, 2], false],
    ['Sum', [3, 9, 7, 16], [0, 1, 2], true],
    ['Mean', [3, 9, 7, 5], [0, 1, 2], false],
    ['Mean', [3, 9, 7, 5], [0, 1, 2], true],
    ['Sum', [6, 11], [0], false],
    ['Mean', [2, 3, 40], [0, 1], true],
    ['Sum', [3, 4, 5], [1, 2], false], // innermost: tfjs's kernel
    ['Mean', [3, 4, 5], [0, 2], true], // transposing: tfjs's kernel
    ['Sum', [3, 4, 5], [0, 1, 2], false],
  ];
  it.each(cases)('%s of %j over %j keepDims %s', async (kernel, shape, axis, keepDims) => {
    const result = await compareWithCpu(kernel, { x: randomInput(shape, shape[0]! * 31 + axis.length) }, { axis, keepDims });
    const expectedShape = keepDims ? shape.map((s, i) => (axis.includes(i) ? 1 : s)) : shape.filter((_, i) => !axis.includes(i));
    expect(result.wasmShape).toEqual(expectedShape);
    expect(result.cpuShape).toEqual(expectedShape);
    expect(result.error).toBeLessThanOrEqual(1e-5);
  });
});
