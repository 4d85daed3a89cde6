/**
 * DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter for the `wasm`
 * backend, which tfjs 4.22 lacks (so `fit` of a depthwise-separable model fails on wasm).
 *
 * Filter W float32 [kh, kw, C, M] (M = channel multiplier); x float32 [B, H, W, C];
 * dy float32 [B, Ho, Wo, C·M], output channel c·M + m. tfjs only differentiates depthwise
 * convolutions whose strides or dilations are 1.
 *
 * Input gradient: dx[b, h, w, c] = Σ_{i, j, m} dy[b, p, q, c·M + m] · W[i, j, c, m] with
 * h = p·sh + i·dh − top — a depthwise convolution (XNNPACK) of the zero-inserted dy with the
 * flipped filter [kh, kw, C·M, 1], dilation d, padding (kh−1)·dh − top; for M > 1 the M
 * channels of each input channel are then summed.
 *
 * Filter gradient: dW[i, j, c, m] = Σ_{b, p, q} x[b, p·sh + i·dh − top, q·sw + j·dw − left, c]
 * · dy[b, p, q, c·M + m], accumulated in JavaScript over contiguous channel rows (the
 * transposed-convolution trick of Conv2DBackpropFilter would compute all C × C·M channel
 * pairs and keep only C·M of them).
 */
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { callWasmKernel, heapF32, release } from '../wasm-kernel-call.ts';
import { zeroInsert } from './conv2d-backprop-input.ts';

interface InputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}

interface FilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}

/** W [kh, kw, C, M] → [kh, kw, C·M, 1] flipped in space. */
function flipDepthwiseFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
  const depth = channels * multiplier;
  const out = backend.makeOutput([kh, kw, depth, 1], 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * depth;
      target.set(source.subarray(from, from + depth), (i * kw + j) * depth);
    }
  }
  return out;
}

export function depthwiseBackpropInputWasm({ inputs, backend, attrs }: InputArgs): TensorInfo {
  const { dy, filter } = inputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const { effectiveFilterHeight: ekh, effectiveFilterWidth: ekw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = ekh - 1 - info.padInfo.top;
  const left = ekw - 1 - info.padInfo.left;
  const bottom = inHeight - ((outHeight - 1) * sh + 1) - top + ekh - 1;
  const right = inWidth - ((outWidth - 1) * sw + 1) - left + ekw - 1;
  if (Math.min(top, left, bottom, right) < 0) {
    throw new RadLocalError(
      'BACKEND_UNAVAILABLE',
      `Expected a depthwise convolution padding no wider than its filter on WebAssembly, but got ${JSON.stringify(pad)}.`,
    );
  }
  const [, , channels, multiplier] = filter.shape as [number, number, number, number];
  const spread = sh > 1 || sw > 1 ? zeroInsert(backend, dy, sh, sw) : dy;
  const flipped = flipDepthwiseFilter(backend, filter);
  const perOutputChannel = callWasmKernel(backend, 'DepthwiseConv2dNative', { x: spread, filter: flipped }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dilations: [dh, dw],
  });
  release(backend, flipped);
  if (spread !== dy) release(backend, spread);
  if (multiplier === 1) return perOutputChannel;
  const [batch, height, width] = perOutputChannel.shape as [number, number, number, number];
  const grouped = callWasmKernel(backend, 'Reshape', { x: perOutputChannel }, { shape: [batch, height, width, channels, multiplier] });
  const dx = callWasmKernel(backend, 'Sum', { x: grouped }, { axis: [4], keepDims: false });
  release(backend, perOutputChannel, grouped);
  return dx;
}

export function depthwiseBackpropFilterWasm({ inputs, backend, attrs }: FilterArgs): TensorInfo {
  const { x, dy } = inputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [, , channels, multiplier] = filterShape;
  const depth = channels * multiplier;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(kh * kw * depth);
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  for (let b = 0; b < batchSize; b++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++) {
        const dyBase = ((b * outHeight + p) * outWidth + q) * depth;
        for (let i = 0; i < kh; i++) {
          const h = p * sh + i * dh - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < kw; j++) {
            const w = q * sw + j * dw - left;
            if (w < 0 || w >= inWidth) continue;
            const xBase = ((b * inHeight + h) * inWidth + w) * channels;
            const accBase = (i * kw + j) * depth;
            if (multiplier === 1) {
              for (let c = 0; c < channels; c++) acc[accBase + c]! += xs[xBase + c]! * dys[dyBase + c]!;
            } else {
              for (let c = 0; c < channels; c++) {
                const xv = xs[xBase + c]!;
                const k = c * multiplier;
                for (let m = 0; m < multiplier; m++) acc[accBase + k + m]! += xv * dys[dyBase + k + m]!;
              }
            }
          }
        }
      }
    }
  }
  const out = backend.makeOutput([...filterShape], 'float32');
  heapF32(backend, out).set(acc);
  return out;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInputWasm as unknown as KernelFunc,
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm as unknown as KernelFunc,
};
