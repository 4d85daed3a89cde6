/**
 * Conv2DBackpropInput for the `wasm` backend, replacing tfjs 4.22's scalar loop.
 *
 * dx[b, h, w, ci] = Σ_{i, j, co} dy[b, p, q, co] · W[i, j, ci, co]  where h = p·sh + i − top
 *
 * Stride 1: a convolution of dy with the spatially flipped, in/out-transposed filter
 * Wf[i, j, co, ci] = W[kh−1−i, kw−1−j, ci, co] and padding kh−1−top (left: kw−1−left).
 *
 * Strides > 1, per-phase form (the default): write h = m·sh + r. Output phase r only meets
 * the filter taps i ≡ r + top (mod sh), so dx[m·sh + r] = Σ_d dy[m + d] · W[r + top − d·sh]:
 * for each of the sh·sw phases, one stride-1 convolution of dy with exactly that phase's
 * taps (kh·kw multiply-adds per dx value, as the definition), scattered into dx.
 *
 * Equal strides with fewer than 8 input channels (the stem), combined sub-pixel form: all
 * s² phases as one stride-1 convolution of dy with a combined filter [kk, kk, Cout, s²·Cin]
 * (each phase's taps, zero where a phase has fewer); its output channels are interleaved
 * back into pixels: 1.78× the definition's multiply-adds for 3×3 /2, but one convolution
 * with s²·Cin outputs instead of s² convolutions with Cin < 8 outputs each.
 *
 * A phase that would need a negative padding sends the call to the combined form (equal
 * strides) or to the zero-inserted dy with the flipped filter. Shapes none of these can
 * express (NCHW, explicit paddings larger than the filter) go to tfjs's own kernel.
 *
 * Inputs: dy float32 [B, Ho, Wo, Cout]; filter float32 [kh, kw, Cin, Cout].
 * Output: float32 inputShape = [B, H, W, Cin].
 */
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { callWasmKernel, heapF32, release } from '../wasm-kernel-call.ts';

interface Conv2DBackpropInputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}

/**
 * dy [B, Ho, Wo, C] → [B, (Ho−1)·sh+1, (Wo−1)·sw+1, C] with zeros between the rows and the
 * columns of dy. The caller owns (releases or returns) the result.
 */
export function zeroInsert(backend: BackendWasm, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [batch, rows, cols, channels] = dy.shape as [number, number, number, number];
  const outRows = (rows - 1) * sh + 1;
  const outCols = (cols - 1) * sw + 1;
  const out = backend.makeOutput([batch, outRows, outCols, channels], 'float32');
  // Views are taken after the allocation: a heap growth detaches earlier ones.
  const target = heapF32(backend, out);
  const source = heapF32(backend, dy);
  target.fill(0);
  const rowStride = outCols * channels;
  let from = 0;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < rows; p++) {
      let to = (b * outRows + p * sh) * rowStride;
      for (let q = 0; q < cols; q++) {
        for (let c = 0; c < channels; c++) target[to + c] = source[from + c]!;
        from += channels;
        to += sw * channels;
      }
    }
  }
  return out;
}

/** W [kh, kw, Cin, Cout] → Wf [kh, kw, Cout, Cin] with Wf[i, j, co, ci] = W[kh−1−i, kw−1−j, ci, co]. */
export function flipTransposeFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const fromBase = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const toBase = (i * kw + j) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) target[toBase + co * cin + ci] = source[fromBase + ci * cout + co]!;
      }
    }
  }
  return out;
}

/** Geometry of the sub-pixel form along one axis (see the file comment). */
export interface PhaseAxis {
  /** First dy offset any phase reads (≤ 0). */
  jmin: number;
  /** Taps of the combined filter along this axis. */
  taps: number;
  /** Output positions per phase: ceil(size / stride). */
  positions: number;
  /** Padding after dy so that the convolution yields `positions` outputs (may be < 0). */
  padAfter: number;
}

export function phaseAxis(size: number, outSize: number, kernel: number, padBefore: number, stride: number): PhaseAxis {
  const jmin = Math.ceil((padBefore - kernel + 1) / stride);
  const jmax = Math.floor((stride - 1 + padBefore) / stride);
  const positions = Math.ceil(size / stride);
  return { jmin, taps: jmax - jmin + 1, positions, padAfter: positions + jmax - outSize };
}

/**
 * Combined filter [kkh, kkw, Cout, s²·Cin]: channel (rh·s + rw)·Cin + ci of tap (th, tw) is
 * W[rh + top − (jminh + th)·s, rw + left − (jminw + tw)·s, ci, co], or 0 outside the filter.
 */
export function phaseFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  stride: number,
  rows: PhaseAxis,
  cols: PhaseAxis,
  top: number,
  left: number,
): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const phases = stride * stride;
  const out = backend.makeOutput([rows.taps, cols.taps, cout, phases * cin], 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, filter);
  target.fill(0);
  for (let th = 0; th < rows.taps; th++) {
    for (let tw = 0; tw < cols.taps; tw++) {
      for (let rh = 0; rh < stride; rh++) {
        const i = rh + top - (rows.jmin + th) * stride;
        if (i < 0 || i >= kh) continue;
        for (let rw = 0; rw < stride; rw++) {
          const j = rw + left - (cols.jmin + tw) * stride;
          if (j < 0 || j >= kw) continue;
          const phaseBase = (rh * stride + rw) * cin;
          for (let co = 0; co < cout; co++) {
            const toBase = ((th * cols.taps + tw) * cout + co) * phases * cin + phaseBase;
            const fromBase = (i * kw + j) * cin * cout + co;
            for (let ci = 0; ci < cin; ci++) target[toBase + ci] = source[fromBase + ci * cout]!;
          }
        }
      }
    }
  }
  return out;
}

/**
 * Phase-major [B, M, N, s²·C] → pixels [B, H, W, C] with dx[b, m·s + rh, n·s + rw, c] =
 * phases[b, m, n, (rh·s + rw)·C + c], dropping positions beyond H × W.
 */
export function interleavePhases(backend: BackendWasm, phases: TensorInfo, stride: number, outShape: number[]): TensorInfo {
  const [batch, rows, cols, depth] = phases.shape as [number, number, number, number];
  const [, height, width, channels] = outShape as [number, number, number, number];
  const out = backend.makeOutput(outShape, 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, phases);
  for (let b = 0; b < batch; b++) {
    for (let m = 0; m < rows; m++) {
      for (let rh = 0; rh < stride; rh++) {
        const h = m * stride + rh;
        if (h >= height) break;
        let to = ((b * height + h) * width) * channels;
        let from = ((b * rows + m) * cols) * depth + rh * stride * channels;
        for (let n = 0; n < cols; n++) {
          const rowEnd = Math.min(stride, width - n * stride);
          for (let rw = 0; rw < rowEnd; rw++) {
            const start = from + rw * channels;
            for (let c = 0; c < channels; c++) target[to + c] = source[start + c]!;
            to += channels;
          }
          from += depth;
        }
      }
    }
  }
  return out;
}

/** Fewest input channels for which equal strides use the per-phase form. */
export const PER_PHASE_MIN_CHANNELS = 8;

/** One output phase r (rows h = m·s + r) along one axis, for the per-phase form. */
export interface Phase {
  /** The phase r. */
  r: number;
  /** Rows of dx in this phase: ceil((size − r) / s). */
  rows: number;
  /** First dy offset d the phase reads (dy[m + d]). */
  dLo: number;
  /** Taps of this phase (0: the phase receives nothing). */
  taps: number;
  /** Padding of dy before / after for a stride-1 correlation giving `rows` outputs. */
  padBefore: number;
  padAfter: number;
}

/**
 * Phase r of one axis: dx[m·s + r] = Σ_{d = dLo}^{dLo + taps − 1} dy[m + d] · W[r + top − d·s],
 * the taps i ≡ r + top (mod s) of the filter, and nothing else.
 */
export function phasesOf(size: number, outSize: number, kernel: number, top: number, stride: number): Phase[] {
  const phases: Phase[] = [];
  for (let r = 0; r < stride; r++) {
    const rows = Math.max(0, Math.ceil((size - r) / stride));
    const dLo = Math.ceil((r + top - kernel + 1) / stride);
    const dHi = Math.floor((r + top) / stride);
    const taps = Math.max(0, dHi - dLo + 1);
    phases.push({ r, rows, dLo, taps, padBefore: -dLo, padAfter: rows - outSize + dHi });
  }
  return phases;
}

/** Filter [Th, Tw, Cout, Cin] of phase (ph, pw): [th, tw, co, ci] = W[ph.r + top − (ph.dLo + th)·sh, …, ci, co]. */
export function phaseOnlyFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  ph: Phase,
  pw: Phase,
  geometry: { top: number; left: number; sh: number; sw: number },
): TensorInfo {
  const [, kw, cin, cout] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([ph.taps, pw.taps, cout, cin], 'float32');
  const target = heapF32(backend, out);
  const source = heapF32(backend, filter);
  let to = 0;
  for (let th = 0; th < ph.taps; th++) {
    const i = ph.r + geometry.top - (ph.dLo + th) * geometry.sh;
    for (let tw = 0; tw < pw.taps; tw++) {
      const j = pw.r + geometry.left - (pw.dLo + tw) * geometry.sw;
      const base = (i * kw + j) * cin * cout;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) target[to++] = source[base + ci * cout + co]!;
      }
    }
  }
  return out;
}

/**
 * Strided dx as one stride-1 convolution per output phase with exactly that phase's taps
 * (kh·kw multiply-adds per dx value in total, as the definition), the phases scattered into
 * the pixels of dx. Undefined when a phase would need a negative padding (then the caller
 * uses another form).
 */
export function perPhaseBackpropInput(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rowPhases = phasesOf(inHeight, outHeight, kh, top, sh);
  const colPhases = phasesOf(inWidth, outWidth, kw, left, sw);
  const usable = (p: Phase): boolean => p.taps === 0 || p.rows === 0 || (p.padBefore >= 0 && p.padAfter >= 0);
  if (!rowPhases.every(usable) || !colPhases.every(usable)) return undefined;
  const [batch, height, width, channels] = info.inShape;
  const dx = backend.makeOutput([batch, height, width, channels], 'float32');
  if (rowPhases.some((p) => p.taps === 0) || colPhases.some((p) => p.taps === 0)) heapF32(backend, dx).fill(0);
  for (const ph of rowPhases) {
    for (const pw of colPhases) {
      if (ph.taps === 0 || pw.taps === 0 || ph.rows === 0 || pw.rows === 0) continue;
      const phaseFilterTensor = phaseOnlyFilter(backend, filter, ph, pw, { top, left, sh, sw });
      const phase = callWasmKernel(backend, 'Conv2D', { x: dy, filter: phaseFilterTensor }, {
        strides: [1, 1],
        pad: [[0, 0], [ph.padBefore, ph.padAfter], [pw.padBefore, pw.padAfter], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
      release(backend, phaseFilterTensor);
      // Views after the allocations above (a heap growth detaches earlier ones).
      const target = heapF32(backend, dx);
      const source = heapF32(backend, phase);
      let from = 0;
      for (let b = 0; b < batch; b++) {
        for (let m = 0; m < ph.rows; m++) {
          let to = ((b * height + m * sh + ph.r) * width + pw.r) * channels;
          for (let n = 0; n < pw.rows; n++, to += sw * channels) {
            for (let c = 0; c < channels; c++) target[to + c] = source[from++]!;
          }
        }
      }
      release(backend, phase);
    }
  }
  return dx;
}

/**
 * @param fallback tfjs's own wasm kernel (already set up by the backend), used for what the
 *   convolution form cannot express; undefined means such shapes throw BACKEND_UNAVAILABLE.
 */
export function createConv2dBackpropInputConfig(fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: Conv2DBackpropInputArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    const format = backend_util.convertConv2DDataFormat(dataFormat);
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      format,
    );
    const { inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = inHeight - ((outHeight - 1) * sh + 1) - top + kh - 1;
    const right = inWidth - ((outWidth - 1) * sw + 1) - left + kw - 1;
    if (format !== 'channelsLast' || Math.min(top, left, bottom, right) < 0) {
      if (fallback === undefined) {
        throw new RadLocalError(
          'BACKEND_UNAVAILABLE',
          `Expected an NHWC Conv2DBackpropInput with paddings below the filter size, but got ${dataFormat} with padding ${JSON.stringify(pad)}.`,
        );
      }
      return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    // Per phase unless few input channels and equal strides: then the phases' convolutions
    // would each have < 8 output channels (XNNPACK's tile), and the combined form's one
    // convolution with s²·Cin outputs is faster (stem 1 channel at 256²/16: 21.6 vs 44.5 ms).
    if ((sh > 1 || sw > 1) && (info.inChannels >= PER_PHASE_MIN_CHANNELS || sh !== sw)) {
      const dx = perPhaseBackpropInput(backend, dy, filter, info);
      if (dx !== undefined) return dx;
    }
    if (sh === sw && sh > 1) {
      const rows = phaseAxis(inHeight, outHeight, kh, info.padInfo.top, sh);
      const cols = phaseAxis(inWidth, outWidth, kw, info.padInfo.left, sw);
      if (rows.padAfter >= 0 && cols.padAfter >= 0) {
        const combined = phaseFilter(backend, filter, sh, rows, cols, info.padInfo.top, info.padInfo.left);
        const phases = callWasmKernel(backend, 'Conv2D', { x: dy, filter: combined }, {
          strides: [1, 1],
          pad: [[0, 0], [-rows.jmin, rows.padAfter], [-cols.jmin, cols.padAfter], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [1, 1],
        });
        release(backend, combined);
        const dx = interleavePhases(backend, phases, sh, info.inShape);
        release(backend, phases);
        return dx;
      }
    }
    const spread = sh > 1 || sw > 1 ? zeroInsert(backend, dy, sh, sw) : dy;
    const flipped = flipTransposeFilter(backend, filter);
    const dx = callWasmKernel(backend, 'Conv2D', { x: spread, filter: flipped }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    });
    release(backend, flipped);
    if (spread !== dy) release(backend, spread);
    return dx;
  };
  return {
    kernelName: Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
