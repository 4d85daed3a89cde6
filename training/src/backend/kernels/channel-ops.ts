/**
 * Per-channel element-wise work and leading-axes reductions for the `wasm` backend, moved
 * onto XNNPACK operators that run at memory speed where tfjs 4.22's kernels do not:
 *
 * - Multiply / Add / Sub of a tensor [..., C] with a per-channel vector (shape [C] or
 *   [1, …, 1, C], C ≥ 2): tfjs's broadcasting binary op costs ~2.5× a plain
 *   element-wise op. Here it is one 1×1 depthwise convolution with bias (out = x·w[c] + b[c]),
 *   which XNNPACK runs as a SIMD pass over contiguous channel rows.
 * - FusedBatchNorm (inference form and the training step's normalisation): tfjs's loop costs
 *   ~9× a copy. Here: (x − mean) then ·scale/√(var + ε) + offset, two depthwise passes (the
 *   same rounding order as the reference, no cancellation from folding the mean into a bias).
 * - Sum / Mean over a leading prefix of the axes ([B, H, W, C] → [C], the batch-norm
 *   statistics and their gradients): tfjs transposes the whole tensor first. Here: one
 *   average pooling over an [R, 1] window of the [1, R, 1, C] view (float32 accumulation, as
 *   tfjs's own Sum), times R for Sum.
 *
 * Anything else (other dtypes, other broadcast patterns, small tensors) goes to tfjs's kernel.
 */
import {
  backend_util,
  util,
  Add,
  FusedBatchNorm,
  Mean,
  Multiply,
  Sub,
  Sum,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { callWasmKernel, heapF32, release } from '../wasm-kernel-call.ts';

/** Tensors smaller than this keep tfjs's kernels (per-call overhead dominates there). */
export const MIN_FAST_SIZE = 4096;
/** Channels per "pixel" the per-channel vector is repeated up to (SIMD-friendly rows). */
const TARGET_WIDTH = 64;

type Args = { inputs: Record<string, TensorInfo | null | undefined>; backend: BackendWasm; attrs: Record<string, unknown> };

function callFallback(fallback: KernelConfig | undefined, kernelName: string, args: Args): TensorInfo {
  if (fallback === undefined) {
    throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected tfjs's ${kernelName} kernel for wasm as the general case, but it is missing.`);
  }
  return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

function tensorFrom(backend: BackendWasm, shape: number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).set(values);
  return out;
}

/**
 * out = x·scale[c] + bias[c] with c the position along x's flattened last axis of length
 * `scale.length` (= `bias.length`); a null scale means 1, a null bias means no bias.
 * @returns a new float32 tensor of `outShape` (size of x).
 */
export function channelAffine(
  backend: BackendWasm,
  x: TensorInfo,
  scale: Float32Array | null,
  bias: Float32Array | null,
  outShape: number[],
): TensorInfo {
  const channels = (scale ?? bias)!.length;
  const rows = util.sizeFromShape(x.shape) / channels;
  // Repeat the vector m times so that each depthwise "pixel" holds up to TARGET_WIDTH values.
  let repeat = 1;
  while (channels * repeat * 2 <= TARGET_WIDTH && rows % (repeat * 2) === 0) repeat *= 2;
  const width = channels * repeat;
  const tile = (vector: Float32Array): Float32Array => {
    const out = new Float32Array(width);
    for (let r = 0; r < repeat; r++) out.set(vector, r * channels);
    return out;
  };
  const filter = tensorFrom(backend, [1, 1, width, 1], tile(scale ?? new Float32Array(channels).fill(1)));
  const biasTensor = bias === null ? undefined : tensorFrom(backend, [width], tile(bias));
  const view = callWasmKernel(backend, 'Reshape', { x }, { shape: [1, 1, rows / repeat, width] });
  const conv = { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' };
  const y =
    biasTensor === undefined
      ? callWasmKernel(backend, 'DepthwiseConv2dNative', { x: view, filter }, conv)
      : callWasmKernel(backend, 'FusedDepthwiseConv2D', { x: view, filter, bias: biasTensor }, { ...conv, activation: 'linear' });
  const out = callWasmKernel(backend, 'Reshape', { x: y }, { shape: outShape });
  release(backend, filter, view, y, ...(biasTensor === undefined ? [] : [biasTensor]));
  return out;
}

/**
 * Whether `shape` broadcasts against `outShape` as one value per last-axis position, C ≥ 2
 * (a scalar operand is already fast in tfjs's kernel: 0.07 vs 0.12 ms on [32,16,16,64]).
 */
export function isChannelVector(shape: readonly number[], outShape: readonly number[]): boolean {
  if (shape.length > outShape.length || outShape.length === 0) return false;
  const size = util.sizeFromShape([...shape]);
  return size > 1 && size === outShape[outShape.length - 1] && shape[shape.length - 1] === size;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Multiply, Add or Sub with a per-channel operand as one depthwise pass; else tfjs's kernel. */
export function createChannelBinaryConfig(kernelName: typeof Multiply | typeof Add | typeof Sub, fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: Args): TensorInfo => {
    const { backend } = args;
    const a = args.inputs.a!;
    const b = args.inputs.b!;
    if (a.dtype === 'float32' && b.dtype === 'float32') {
      const outShape = backend_util.assertAndGetBroadcastShape([...a.shape], [...b.shape]);
      if (util.sizeFromShape(outShape) >= MIN_FAST_SIZE) {
        let big: TensorInfo | undefined;
        let small: TensorInfo | undefined;
        if (sameShape(a.shape, outShape) && isChannelVector(b.shape, outShape)) [big, small] = [a, b];
        else if (sameShape(b.shape, outShape) && isChannelVector(a.shape, outShape)) [big, small] = [b, a];
        if (big !== undefined && small !== undefined) {
          const vector = Float32Array.from(heapF32(backend, small));
          const ones = (): Float32Array => new Float32Array(vector.length).fill(1);
          if (kernelName === Multiply) return channelAffine(backend, big, vector, null, outShape);
          if (kernelName === Add) return channelAffine(backend, big, ones(), vector, outShape);
          // Sub: x − v = x·1 + (−v); v − x = x·(−1) + v (negation is exact).
          if (small === b) return channelAffine(backend, big, ones(), vector.map((v) => -v), outShape);
          return channelAffine(backend, big, ones().fill(-1), vector, outShape);
        }
      }
    }
    return callFallback(fallback, kernelName, args);
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * The reduced rows R, kept columns C and number k of reduced axes when `axis` is a leading
 * prefix [0, …, k−1] of x's axes with k < rank; undefined otherwise.
 */
export function leadingReduction(
  shape: readonly number[],
  axis: number | number[] | undefined,
): { rows: number; columns: number; reduced: number } | undefined {
  if (shape.length < 2 || axis === undefined) return undefined;
  const axes = [...util.parseAxisParam(axis, [...shape])].sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= shape.length || axes.some((a, i) => a !== i)) return undefined;
  const reduced = axes.length;
  return { rows: util.sizeFromShape(shape.slice(0, reduced)), columns: util.sizeFromShape(shape.slice(reduced)), reduced };
}

/** Sum / Mean over leading axes as one XNNPACK average pooling; else tfjs's kernel. */
export function createLeadingReduceConfig(kernelName: typeof Sum | typeof Mean, fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: Args): TensorInfo => {
    const { backend } = args;
    const x = args.inputs.x!;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const reduction = x.dtype === 'float32' ? leadingReduction(x.shape, axis) : undefined;
    if (reduction !== undefined && reduction.rows >= 2 && reduction.columns >= 4 && reduction.rows * reduction.columns >= MIN_FAST_SIZE) {
      const { rows, columns, reduced } = reduction;
      const kept = x.shape.slice(reduced);
      const outShape = keepDims ? [...new Array<number>(reduced).fill(1), ...kept] : kept;
      const view = callWasmKernel(backend, 'Reshape', { x }, { shape: [1, rows, 1, columns] });
      const mean = callWasmKernel(backend, 'AvgPool', { x: view }, { filterSize: [rows, 1], strides: [1, 1], pad: 'valid' });
      release(backend, view);
      if (kernelName === Mean) {
        const out = callWasmKernel(backend, 'Reshape', { x: mean }, { shape: outShape });
        release(backend, mean);
        return out;
      }
      const sums = Float32Array.from(heapF32(backend, mean), (v) => v * rows);
      release(backend, mean);
      return tensorFrom(backend, outShape, sums);
    }
    return callFallback(fallback, kernelName, args);
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** FusedBatchNorm with per-channel statistics as two depthwise passes; else tfjs's kernel. */
export function createBatchNormConfig(fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: Args): TensorInfo => {
    const { backend } = args;
    const { x, mean, variance, offset, scale } = args.inputs;
    const epsilon = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const channels = x!.shape[x!.shape.length - 1] ?? 0;
    const perChannel = (t: TensorInfo | null | undefined): boolean =>
      t == null || (t.dtype === 'float32' && util.sizeFromShape(t.shape) === channels && t.shape[t.shape.length - 1] === channels);
    if (
      x!.dtype === 'float32' &&
      x!.shape.length >= 2 &&
      channels > 0 &&
      util.sizeFromShape(x!.shape) >= MIN_FAST_SIZE &&
      mean != null &&
      variance != null &&
      [mean, variance, offset, scale].every(perChannel)
    ) {
      const m = Float32Array.from(heapF32(backend, mean));
      const v = heapF32(backend, variance);
      const s = scale == null ? undefined : heapF32(backend, scale);
      const factor = Float32Array.from(v, (value, c) => (s === undefined ? 1 : s[c]!) / Math.sqrt(value + epsilon));
      const shift = offset == null ? new Float32Array(channels) : Float32Array.from(heapF32(backend, offset));
      const centred = channelAffine(backend, x!, null, m.map((value) => -value), [...x!.shape]);
      const out = channelAffine(backend, centred, factor, shift, [...x!.shape]);
      release(backend, centred);
      return out;
    }
    return callFallback(fallback, FusedBatchNorm, args);
  };
  return { kernelName: FusedBatchNorm, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
