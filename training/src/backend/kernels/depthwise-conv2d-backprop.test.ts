import { describe, expect, it } from 'vitest';
import { backend_util } from '@tensorflow/tfjs-core';
import { compareWithCpu, randomInput, runKernelOn } from './kernel-test-utils.ts';

interface DepthwiseCase {
  batch: number;
  size: [number, number];
  k: [number, number];
  channels: number;
  multiplier: number;
  stride: [number, number];
  dilation: [number, number];
  pad: 'same' | 'valid';
}

const CASES: DepthwiseCase[] = [];
let n = 0;
for (const pad of ['same', 'valid'] as const) {
  const geometries: { stride: [number, number]; dilation: [number, number] }[] = [
    { stride: [1, 1], dilation: [1, 1] },
    { stride: [2, 2], dilation: [1, 1] },
    { stride: [2, 1], dilation: [1, 1] },
    { stride: [1, 1], dilation: [2, 2] },
    { stride: [1, 1], dilation: [1, 2] },
  ];
  for (const { stride, dilation } of geometries) {
    for (const k of [[3, 3], [5, 5], [1, 1], [2, 3]] as [number, number][]) {
      n++;
      const multiplier = 1 + (n % 3 === 0 ? 1 : 0);
      CASES.push({ batch: 2 + (n % 2), size: [10 + (n % 3), 11 - (n % 4)], k, channels: 1 + (n % 5), multiplier, stride, dilation, pad });
    }
  }
}

const label = (c: DepthwiseCase): string =>
  `x ${c.batch}×${c.size.join('×')}×${c.channels}, k ${c.k.join('×')}×${c.multiplier}, stride ${c.stride.join(',')}, dilation ${c.dilation.join(',')}, ${c.pad}`;

function outShape(c: DepthwiseCase): number[] {
  return backend_util.computeConv2DInfo(
    [c.batch, ...c.size, c.channels],
    [...c.k, c.channels, c.multiplier],
    c.stride,
    c.dilation,
    c.pad,
    undefined,
    true,
  ).outShape;
}

// tfjs's cpu backprop kernels ignore dilations (its gradient never asks for them), so dilated
// cases are checked against the adjoint identity of the cpu forward convolution instead.
const UNDILATED = CASES.filter((c) => c.dilation[0] === 1 && c.dilation[1] === 1);

function dot(a: Float32Array, b: Float32Array): { value: number; scale: number } {
  let value = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    value += a[i]! * b[i]!;
    scale += Math.abs(a[i]! * b[i]!);
  }
  return { value, scale };
}

describe('depthwise backprop kernels on wasm are the adjoints of the forward convolution', () => {
  // ⟨conv(x, W), dy⟩ = ⟨x, backpropInput(dy, W)⟩ = ⟨W, backpropFilter(x, dy)⟩.
  it.each(CASES.filter((c, i) => c.dilation[0] > 1 || c.dilation[1] > 1 || i % 5 === 0).map((c, i) => [label(c), c, i] as const))(
    '%s',
    async (_name, c, i) => {
      const x = randomInput([c.batch, ...c.size, c.channels], 801 + i);
      const filter = randomInput([...c.k, c.channels, c.multiplier], 901 + i);
      const dy = randomInput(outShape(c), 1001 + i);
      const forward = await runKernelOn('cpu', 'DepthwiseConv2dNative', { x, filter }, { strides: c.stride, dilations: c.dilation, pad: c.pad });
      const dx = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, {
        strides: c.stride, dilations: c.dilation, pad: c.pad, inputShape: x.shape,
      });
      const dW = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
        strides: c.stride, dilations: c.dilation, pad: c.pad, filterShape: filter.shape,
      });
      const reference = dot(forward.values, dy.values);
      for (const other of [dot(x.values, dx.values), dot(filter.values, dW.values)]) {
        expect(Math.abs(other.value - reference.value) / reference.scale).toBeLessThanOrEqual(1e-5);
      }
    },
  );
});

describe('DepthwiseConv2dNativeBackpropInput on wasm matches the cpu backend', () => {
  it.each(UNDILATED.map((c, i) => [label(c), c, i] as const))('%s', async (_name, c, i) => {
    const inputShape = [c.batch, ...c.size, c.channels];
    const result = await compareWithCpu(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: randomInput(outShape(c), 401 + i), filter: randomInput([...c.k, c.channels, c.multiplier], 501 + i) },
      { strides: c.stride, dilations: c.dilation, pad: c.pad, inputShape },
    );
    expect(result.wasmShape).toEqual(inputShape);
    expect(result.cpuShape).toEqual(inputShape);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});

describe('DepthwiseConv2dNativeBackpropFilter on wasm matches the cpu backend', () => {
  it.each(UNDILATED.map((c, i) => [label(c), c, i] as const))('%s', async (_name, c, i) => {
    const filterShape = [...c.k, c.channels, c.multiplier];
    const result = await compareWithCpu(
      'DepthwiseConv2dNativeBackpropFilter',
      { x: randomInput([c.batch, ...c.size, c.channels], 601 + i), dy: randomInput(outShape(c), 701 + i) },
      { strides: c.stride, dilations: c.dilation, pad: c.pad, filterShape },
    );
    expect(result.wasmShape).toEqual(filterShape);
    expect(result.cpuShape).toEqual(filterShape);
    expect(result.error).toBeLessThanOrEqual(1e-4);
  });
});
