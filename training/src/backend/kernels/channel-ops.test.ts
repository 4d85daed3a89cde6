import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../select-backend.ts';
import { compareWithCpu, randomInput, seededValues, stepsWithoutLeak, type KernelInput } from './kernel-test-utils.ts';
import { isChannelVector, leadingReduction, MIN_FAST_SIZE } from './channel-ops.ts';

describe('shape rules of the fast paths', () => {
  it('recognises per-channel vectors and scalars', () => {
    expect(isChannelVector([8], [2, 4, 4, 8])).toBe(true);
    expect(isChannelVector([1, 1, 1, 8], [2, 4, 4, 8])).toBe(true);
    expect(isChannelVector([], [2, 4, 4, 8])).toBe(false); // scalars: tfjs's kernel is fast
    expect(isChannelVector([1], [2, 4, 4, 1])).toBe(false);
    expect(isChannelVector([2, 1, 1, 8], [2, 4, 4, 8])).toBe(false);
    expect(isChannelVector([8, 1], [2, 4, 8, 1])).toBe(false);
    expect(isChannelVector([1, 2, 4, 4, 8], [2, 4, 4, 8])).toBe(false);
  });

  it('recognises reductions over a leading prefix of the axes', () => {
    expect(leadingReduction([2, 3, 4, 5], [0, 1, 2])).toEqual({ rows: 24, columns: 5, reduced: 3 });
    expect(leadingReduction([2, 3, 4, 5], [2, 0, 1])).toEqual({ rows: 24, columns: 5, reduced: 3 });
    expect(leadingReduction([2, 3, 4, 5], [-4, -3])).toEqual({ rows: 6, columns: 20, reduced: 2 });
    expect(leadingReduction([2, 3, 4, 5], [1, 2])).toBeUndefined();
    expect(leadingReduction([2, 3, 4, 5], [0, 1, 2, 3])).toBeUndefined();
    expect(leadingReduction([6], [0])).toBeUndefined();
  });
});

// Big enough for the fast paths (≥ MIN_FAST_SIZE elements) unless marked small.
const BIG: number[][] = [
  [2, 16, 16, 8],
  [3, 17, 19, 5], // odd rows, channel count not a power of two
  [4100, 3],
  [5, 33, 40],
];

describe('Multiply, Add and Sub with a per-channel operand on wasm match the cpu backend', () => {
  const cases: [string, number[], number[]][] = [];
  for (const shape of BIG) {
    const c = shape[shape.length - 1]!;
    cases.push(['x · [C]', shape, [c]], ['[1,…,1,C] · x', [...shape.slice(0, -1).map(() => 1), c], shape], ['x · scalar (tfjs kernel)', shape, []], ['[1] · x (tfjs kernel)', [1], shape]);
  }
  cases.push(['small x · [C] (tfjs kernel)', [2, 3, 4], [4]], ['[2,1,1,8] · x (tfjs kernel)', [2, 1, 1, 8], [2, 16, 16, 8]], ['x · x (tfjs kernel)', [2, 16, 16, 8], [2, 16, 16, 8]]);
  for (const kernel of ['Multiply', 'Add', 'Sub']) {
    it.each(cases.map(([label, a, b], i) => [`${kernel} ${label} ${JSON.stringify(a)} ${JSON.stringify(b)}`, a, b, i] as const))('%s', async (_label, a, b, i) => {
      const result = await compareWithCpu(kernel, { a: randomInput(a, 500 + i), b: randomInput(b, 600 + i) }, {});
      expect(result.wasmShape).toEqual(result.cpuShape);
      expect(result.error).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('Sum and Mean over leading axes on wasm match the cpu backend', () => {
  const cases: [number[], number[], boolean][] = [
    [[2, 16, 16, 8], [0, 1, 2], false],
    [[3, 17, 19, 5], [0, 1, 2], true],
    [[3, 17, 19, 12], [2, 1, 0], false],
    [[4100, 3], [0], false], // 3 kept columns: tfjs kernel
    [[1030, 7], [0], true],
    [[5, 33, 40], [-3, -2], false],
    [[5, 33, 40], [1, 2], false], // not leading: tfjs kernel
    [[2, 3, 4], [0, 1], false], // small: tfjs kernel
  ];
  for (const kernel of ['Sum', 'Mean']) {
    it.each(cases.map(([shape, axis, keepDims], i) => [`${kernel} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)} keepDims ${keepDims}`, shape, axis, keepDims, i] as const))(
      '%s',
      async (_label, shape, axis, keepDims, i) => {
        const result = await compareWithCpu(kernel, { x: randomInput(shape, 700 + i) }, { axis, keepDims });
        expect(result.wasmShape).toEqual(result.cpuShape);
        expect(result.error).toBeLessThanOrEqual(1e-4);
      },
    );
  }
});

function positive(shape: number[], seed: number): KernelInput {
  return { shape, values: seededValues(shape.reduce((a, b) => a * b, 1), seed).map((v) => Math.abs(v) + 0.05) };
}

describe('FusedBatchNorm on wasm matches the cpu backend', () => {
  const cases: [string, number[], number[], boolean][] = [
    ['NHWC, [C] statistics', [2, 16, 16, 8], [8], true],
    ['odd sizes, [1,1,1,C] statistics', [3, 17, 19, 5], [1, 1, 1, 5], true],
    ['no scale or offset', [3, 17, 19, 12], [12], false],
    ['rank 2', [4100, 3], [3], true],
    ['small (tfjs kernel)', [2, 3, 3, 4], [4], true],
  ];
  it.each(cases.map((c, i) => [...c, i] as const))('%s', async (_label, shape, statShape, affine, i) => {
    const inputs: Record<string, KernelInput> = {
      x: { ...randomInput(shape, 800 + i), values: randomInput(shape, 800 + i).values.map((v) => v * 3 + 2) },
      mean: randomInput(statShape, 810 + i),
      variance: positive(statShape, 820 + i),
    };
    if (affine) {
      inputs.scale = randomInput(statShape, 830 + i);
      inputs.offset = randomInput(statShape, 840 + i);
    }
    const result = await compareWithCpu('FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 });
    expect(result.wasmShape).toEqual(shape);
    expect(result.cpuShape).toEqual(shape);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});

describe('the channel kernels in training', () => {
  it('keep tensor and WASM buffer counts constant over 30 Adam steps of conv + batch normalisation layers', async () => {
    await selectBackend('wasm');
    expect(2 * 16 * 16 * 8).toBeGreaterThanOrEqual(MIN_FAST_SIZE);
    const input = tfl.input({ shape: [16, 16, 2] });
    let h = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tfl.initializers.heNormal({ seed: 1 }) }).apply(input) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.globalAveragePooling2d({}).apply(h) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const x = tf.tensor4d(seededValues(2 * 16 * 16 * 2, 9), [2, 16, 16, 2]);
    const y = tf.tensor2d([1, -1], [2, 1]);
    const optimizer = tf.train.adam(0.01);
    const loss = (): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))));
    const run = stepsWithoutLeak(optimizer, loss, 30);
    expect(run.tensors[1]).toBe(run.tensors[0]);
    expect(run.buffers[1]).toBe(run.buffers[0]);
    expect(run.lastLoss).toBeLessThan(run.firstLoss * 0.5);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
});
