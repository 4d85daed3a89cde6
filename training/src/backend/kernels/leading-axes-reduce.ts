/**
 * Sum and Mean for the `wasm` backend, fast path for reductions over leading axes: the
 * per-channel sums of an NHWC tensor over [0, 1, 2] that batch-norm statistics, batch-norm
 * gradients and bias/scale gradients need. tfjs transposes the whole tensor first so the
 * reduced axes become innermost; here the tensor is read once in place as [rows, C] and
 * accumulated per column in float64.
 *
 * Fast path: float32 input whose reduced axes are exactly 0…m−1 with something left over.
 * Anything else goes to tfjs's own kernel. Output float32, shape without (or, with keepDims,
 * with size-1) reduced axes.
 */
import {
  backend_util,
  Mean,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { heapF32 } from '../wasm-kernel-call.ts';

interface ReduceArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: SumAttrs | MeanAttrs;
}

/** The number of leading axes reduced, or undefined if `axes` is not such a prefix. */
export function leadingAxesCount(shape: readonly number[], axis: number | number[]): number | undefined {
  const axes = [...new Set(util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return undefined;
  return axes.every((a, i) => a === i) ? axes.length : undefined;
}

/**
 * Column sums (or means) of x viewed as [rows, columns].
 * @return float32 [columns] on the WASM heap.
 */
function reduceRows(backend: BackendWasm, x: TensorInfo, leading: number, outShape: number[], mean: boolean): TensorInfo {
  const rows = util.sizeFromShape(x.shape.slice(0, leading));
  const columns = util.sizeFromShape(x.shape.slice(leading));
  const acc = new Float64Array(columns);
  const out = backend.makeOutput(outShape, 'float32');
  const source = heapF32(backend, x);
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let c = 0; c < columns; c++) acc[c]! += source[base + c]!;
  }
  const target = heapF32(backend, out);
  const scale = mean ? 1 / rows : 1;
  for (let c = 0; c < columns; c++) target[c] = acc[c]! * scale;
  return out;
}

function createReduceConfig(kernelName: typeof Sum | typeof Mean, fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: ReduceArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const leading = x.dtype === 'float32' ? leadingAxesCount(x.shape, attrs.axis) : undefined;
    if (leading === undefined) {
      if (fallback === undefined) {
        throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected tfjs's ${kernelName} kernel for wasm, but it is missing.`);
      }
      return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const kept = x.shape.slice(leading);
    const outShape = attrs.keepDims
      ? backend_util.expandShapeToKeepDim(kept, Array.from({ length: leading }, (_, i) => i))
      : kept;
    return reduceRows(backend, x, leading, outShape, kernelName === Mean);
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function createSumConfig(fallback: KernelConfig | undefined): KernelConfig {
  return createReduceConfig(Sum, fallback);
}

export function createMeanConfig(fallback: KernelConfig | undefined): KernelConfig {
  return createReduceConfig(Mean, fallback);
}
