import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.ts';
import '@tensorflow/tfjs';
import { compareWithCpu, randomInput, seededValues, stepsWithoutLeak } from './kernel-test-utils.ts';
import { GEMM_CHUNK_PIXELS } from './conv2d-backprop-filter.ts';
import { PER_PHASE_MIN_CHANNELS } from './conv2d-backprop-input.ts';

interface ConvCase {
  batch: number;
  size: [number, number];
  k: [number, number];
  cin: number;
  cout: number;
  stride: [number, number];
  pad: 'same' | 'valid';
}

const CASES: ConvCase[] = [];
let n = 0;
for (const pad of ['same', 'valid'] as const) {
  for (const stride of [[1, 1], [2, 2], [2, 1], [3, 3]] as [number, number][]) {
    for (const k of [[1, 1], [3, 3], [5, 5], [3, 2]] as [number, number][]) {
      n++;
      // Odd and even sizes, several channel counts, batch > 1.
      CASES.push({ batch: 2 + (n % 2), size: [7 + (n % 4), 9 - (n % 3)], k, cin: 1 + (n % 4), cout: 2 + (n % 5), stride, pad });
    }
  }
}

function label(c: ConvCase): string {
  return `x ${c.batch}×${c.size.join('×')}×${c.cin}, k ${c.k.join('×')}→${c.cout}, stride ${c.stride.join(',')}, ${c.pad}`;
}

function outShape(c: ConvCase): number[] {
  const info = backend_util.computeConv2DInfo([c.batch, ...c.size, c.cin], [...c.k, c.cin, c.cout], c.stride, 1, c.pad);
  return info.outShape;
}

describe('Conv2DBackpropFilter on wasm matches the cpu backend', () => {
  it.each(CASES.map((c, i) => [label(c), c, i] as const))('%s', async (_name, c, i) => {
    const filterShape = [...c.k, c.cin, c.cout];
    const result = await compareWithCpu(
      'Conv2DBackpropFilter',
      { x: randomInput([c.batch, ...c.size, c.cin], 11 + i), dy: randomInput(outShape(c), 101 + i) },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape },
    );
    expect(result.wasmShape).toEqual(filterShape);
    expect(result.cpuShape).toEqual(filterShape);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});

describe('Conv2DBackpropFilter on wasm in image groups (B·Ho·Wo > GEMM_CHUNK_PIXELS) matches the cpu backend', () => {
  const cases: [number[], number[], number][] = [
    [[3, 130, 130, 2], [3, 3, 2, 3], 1], // one image per group
    [[5, 60, 60, 1], [3, 3, 1, 4], 1], // two per group, a last group of one
    [[4, 128, 128, 6], [1, 1, 6, 5], 2], // 1×1 stride-2 projection
  ];
  it.each(cases.map((c, i) => [`x ${c[0].join('×')}, filter ${c[1].join('×')}, stride ${c[2]}`, ...c, i] as const))('%s', async (_label, xShape, filterShape, stride, i) => {
    const pixels = Math.ceil(xShape[1]! / stride) * Math.ceil(xShape[2]! / stride);
    expect(xShape[0]! * pixels).toBeGreaterThan(GEMM_CHUNK_PIXELS);
    const info = backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], stride, 1, 'same');
    const result = await compareWithCpu(
      'Conv2DBackpropFilter',
      { x: randomInput(xShape, 41 + i), dy: randomInput(info.outShape, 51 + i) },
      { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', filterShape },
    );
    expect(result.wasmShape).toEqual(filterShape);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});

/** Conv2DBackpropInput of case `c` (inputs seeded from `seed`) on wasm against the cpu backend. */
async function expectBackpropInputMatchesCpu(c: ConvCase, seed: number): Promise<void> {
  const inputShape = [c.batch, ...c.size, c.cin];
  const result = await compareWithCpu(
    'Conv2DBackpropInput',
    { dy: randomInput(outShape(c), seed), filter: randomInput([...c.k, c.cin, c.cout], seed + 100) },
    { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape },
  );
  expect(result.wasmShape).toEqual(inputShape);
  expect(result.cpuShape).toEqual(inputShape);
  expect(result.error).toBeLessThanOrEqual(1e-4);
}

describe('Conv2DBackpropInput on wasm matches the cpu backend', () => {
  it.each(CASES.map((c, i) => [label(c), c, i] as const))('%s', (_name, c, i) => expectBackpropInputMatchesCpu(c, 201 + i));

  // Equal strides with ≥ PER_PHASE_MIN_CHANNELS input channels: the per-phase form.
  const wide: ConvCase[] = [];
  for (const pad of ['same', 'valid'] as const) {
    for (const stride of [[2, 2], [3, 3]] as [number, number][]) {
      for (const k of [[1, 1], [3, 3], [5, 5], [3, 2]] as [number, number][]) {
        n++;
        wide.push({ batch: 2, size: [7 + (n % 4), 9 - (n % 3)], k, cin: PER_PHASE_MIN_CHANNELS + (n % 5), cout: 3 + (n % 4), stride, pad });
      }
    }
  }
  it.each(wide.map((c, i) => [label(c), c, i] as const))('%s', (_name, c, i) => expectBackpropInputMatchesCpu(c, 401 + i));

  it('falls back to the tfjs kernel for an explicit padding wider than the filter', async () => {
    const c = { pad: [[0, 0], [3, 3], [1, 1], [0, 0]] };
    const result = await compareWithCpu(
      'Conv2DBackpropInput',
      { dy: randomInput([2, 10, 6, 3], 7), filter: randomInput([2, 2, 2, 3], 8) },
      { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', inputShape: [2, 5, 3, 2] },
    );
    expect(result.wasmShape).toEqual([2, 5, 3, 2]);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});

describe('RadLocal wasm kernels do not leak', () => {
  it('keeps tensor and WASM buffer counts constant over 100 optimizer steps of conv + batch norm + depthwise conv', async () => {
    await selectBackend('wasm');
    const x = tf.tensor4d(seededValues(2 * 9 * 9 * 2, 1), [2, 9, 9, 2]);
    const target = tf.tensor4d(seededValues(2 * 5 * 5 * 3, 2), [2, 5, 5, 3]);
    const w1 = tf.variable(tf.tensor4d(seededValues(3 * 3 * 2 * 4, 3).map((v) => v * 0.3), [3, 3, 2, 4]));
    const dw = tf.variable(tf.tensor4d(seededValues(3 * 3 * 4 * 2, 5).map((v) => v * 0.3), [3, 3, 4, 2]));
    const w2 = tf.variable(tf.tensor4d(seededValues(3 * 3 * 8 * 3, 4).map((v) => v * 0.3), [3, 3, 8, 3]));
    const scale = tf.variable(tf.ones([4]));
    const offset = tf.variable(tf.zeros([4]));
    const optimizer = tf.train.sgd(0.05);
    const loss = (): tf.Scalar =>
      tf.tidy(() => {
        const c = tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same');
        // Batch norm in training mode: its gradient broadcasts with Tile.
        const { mean, variance } = tf.moments(c, [0, 1, 2]);
        const h = tf.relu(tf.batchNorm4d(c, mean as tf.Tensor1D, variance as tf.Tensor1D, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3));
        const d = tf.depthwiseConv2d(h, dw as tf.Tensor4D, 1, 'same');
        const y = tf.conv2d(d, w2 as tf.Tensor4D, 2, 'same');
        return tf.mean(tf.square(tf.sub(y, target)));
      });
    const run = stepsWithoutLeak(optimizer, loss, 100);
    expect(run.tensors[1]).toBe(run.tensors[0]);
    expect(run.buffers[1]).toBe(run.buffers[0]);
    // The gradients are used for real: the loss falls.
    expect(run.lastLoss).toBeLessThan(run.firstLoss * 0.9);
    tf.dispose([x, target, w1, dw, w2, scale, offset]);
    optimizer.dispose();
  });
});
