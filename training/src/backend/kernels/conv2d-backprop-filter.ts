/**
 * Conv2DBackpropFilter for the `wasm` backend, which tfjs 4.22 lacks.
 *
 * dW[i, j, ci, co] = Σ_{b, p, q} x[b, p·sh + i − top, q·sw + j − left, ci] · dy[b, p, q, co]
 *
 * is itself a convolution once the batch axis plays the role of channels: the input
 * x → [Cin, H, W, B], the "filter" dy → [Ho, Wo, B, Cout], stride 1, dilation = the forward
 * stride, explicit padding (top, left) and whatever bottom/right gives a kh × kw output;
 * the result [Cin, kh, kw, Cout] is transposed back to [kh, kw, Cin, Cout]. That runs on
 * XNNPACK's SIMD convolution instead of a scalar loop.
 *
 * Small patches (kh·kw·Cin ≤ 32: the stem, 1×1 projections): dW = Pᵀ·dy with the patch
 * matrix Pᵀ written in JavaScript, one XNNPACK GEMM per group of ~8192 output pixels (its
 * K), summed in float64 — XNNPACK does not block K, so one GEMM over all B·Ho·Wo pixels
 * streamed its packed panels from memory.
 *
 * Inputs: x float32 [B, H, W, Cin]; dy float32 [B, Ho, Wo, Cout] (NHWC only).
 * Output: float32 [kh, kw, Cin, Cout].
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { callWasmKernel, heapF32, release } from '../wasm-kernel-call.ts';

/** Largest kh·kw·Cin for which the patch-matrix GEMM is used. */
export const GEMM_MAX_PATCH = 32;

interface Conv2DBackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}

/** Output pixels per GEMM chunk of the patch-matrix path (its K; keeps the packed panels in L2). */
export const GEMM_CHUNK_PIXELS = 8192;

/**
 * Pᵀ [1, kh·kw·Cin, (b1 − b0)·Ho·Wo] of the images b0 ≤ b < b1: row (i·kw + j)·Cin + c,
 * column ((b − b0)·Ho + p)·Wo + q holds x[b, p·sh + i − top, q·sw + j − left, c], or 0 in
 * the padding.
 */
export function patchMatrixTransposed(
  backend: BackendWasm,
  x: TensorInfo,
  geometry: { kh: number; kw: number; sh: number; sw: number; top: number; left: number; outHeight: number; outWidth: number },
  images: [number, number] = [0, x.shape[0]!],
): TensorInfo {
  const [, height, width, channels] = x.shape as [number, number, number, number];
  const { kh, kw, sh, sw, top, left, outHeight, outWidth } = geometry;
  const [b0, b1] = images;
  const columns = (b1 - b0) * outHeight * outWidth;
  const out = backend.makeOutput([1, kh * kw * channels, columns], 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, x);
  // Row by row of Pᵀ, so that the writes are sequential (reads stride by sw·Cin).
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Output columns q whose input column q·sw + j − left lies inside the image.
      const qLo = Math.min(outWidth, Math.max(0, Math.ceil((left - j) / sw)));
      const qHi = Math.max(qLo, Math.min(outWidth, Math.floor((width - 1 + left - j) / sw) + 1));
      const step = sw * channels;
      for (let c = 0; c < channels; c++) {
        let to = ((i * kw + j) * channels + c) * columns;
        for (let b = b0; b < b1; b++) {
          for (let p = 0; p < outHeight; p++, to += outWidth) {
            const h = p * sh + i - top;
            if (h < 0 || h >= height) {
              target.fill(0, to, to + outWidth);
              continue;
            }
            for (let q = 0; q < qLo; q++) target[to + q] = 0;
            for (let q = qHi; q < outWidth; q++) target[to + q] = 0;
            let from = ((b * height + h) * width + qLo * sw + j - left) * channels + c;
            for (let q = qLo; q < qHi; q++, from += step) target[to + q] = source[from]!;
          }
        }
      }
    }
  }
  return out;
}

export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: Conv2DBackpropFilterArgs): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') {
    throw new RadLocalError(
      'BACKEND_UNAVAILABLE',
      `Expected NHWC tensors for Conv2DBackpropFilter on WebAssembly, but got data format ${dataFormat}.`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  if (kh * kw * info.inChannels <= GEMM_MAX_PATCH) {
    // dW = Σ over image groups of Pᵀ·dy: XNNPACK does not block K, so one GEMM over all
    // B·Ho·Wo pixels streams its panels from memory; groups of ~GEMM_CHUNK_PIXELS stay in L2.
    const pixels = outHeight * outWidth;
    const group = Math.max(1, Math.floor(GEMM_CHUNK_PIXELS / pixels));
    const perImage = pixels * info.outChannels;
    const sum = new Float64Array(kh * kw * info.inChannels * info.outChannels);
    for (let b0 = 0; b0 < info.batchSize; b0 += group) {
      const b1 = Math.min(info.batchSize, b0 + group);
      const patches = patchMatrixTransposed(backend, x, { kh, kw, sh, sw, top, left, outHeight, outWidth }, [b0, b1]);
      const dyChunk = backend.makeOutput([1, (b1 - b0) * pixels, info.outChannels], 'float32');
      heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(b0 * perImage, b1 * perImage));
      const product = callWasmKernel(backend, 'BatchMatMul', { a: patches, b: dyChunk }, { transposeA: false, transposeB: false });
      const values = heapF32(backend, product);
      for (let k = 0; k < sum.length; k++) sum[k]! += values[k]!;
      release(backend, patches, dyChunk, product);
    }
    const dW = backend.makeOutput([...filterShape], 'float32');
    heapF32(backend, dW).set(sum);
    return dW;
  }

  // Rows/columns the forward convolution reached past the input (negative: unused tail).
  let bottom = kh + (outHeight - 1) * sh - inHeight - top;
  let right = kw + (outWidth - 1) * sw - inWidth - left;
  let source = x;
  const temporaries: TensorInfo[] = [];
  if (bottom < 0 || right < 0) {
    // The forward pass never read the last rows/columns: drop them (padding cannot be < 0).
    source = callWasmKernel(backend, 'Slice', { x }, {
      begin: [0, 0, 0, 0],
      size: [-1, inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), -1],
    });
    temporaries.push(source);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const xT = callWasmKernel(backend, 'Transpose', { x: source }, { perm: [3, 1, 2, 0] });
  const dyT = callWasmKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  temporaries.push(xT, dyT);
  const conv = callWasmKernel(backend, 'Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  });
  temporaries.push(conv);
  const dW = callWasmKernel(backend, 'Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  release(backend, ...temporaries);
  return dW;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
};
