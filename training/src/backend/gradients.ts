/**
 * Gradients RadLocal registers in place of tfjs 4.22's, same values without the allocation.
 *
 * tfjs's gradients of Sum and Mean broadcast dy to x's shape by multiplying it with
 * `ones(x.shape)`: a full-size Float32Array filled in JavaScript and copied into the backend on
 * every call. Batch norm's statistics are means over [B, H, W], so one training step of the
 * default classifier at 256², ghost batch 8, built 27 such arrays per micro-batch (~32 MB) — the
 * external memory that made V8 run a full mark-compact about twice per step (and throw away
 * optimised code that the next step compiles again, on the helper threads a second core needs).
 *
 * Here dy is broadcast with `broadcastTo` (the Tile kernel; for [1, 1, 1, C] → [B, H, W, C]
 * RadLocal's flat copy) and Mean's 1/n is applied to the reduced dy before the broadcast. Both
 * are exact rewrites: v·1 = v, and each element is still dy/n rounded once, so the gradients are
 * bit-identical to tfjs's on every backend (tested).
 */
import { broadcastTo, div, getGradient, Mean, registerGradient, reshape, Sum, util, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';

/** dy reshaped to x's rank with size 1 on the reduced axes. */
function expandedDy(dy: Tensor, x: Tensor, axis: number | number[]): Tensor {
  const shape = x.shape.slice();
  for (const a of util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  return reshape(dy, shape);
}

const sumGradient: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0] as Tensor;
    const { axis } = attrs as unknown as { axis: number | number[] };
    return { x: () => broadcastTo(expandedDy(dy as Tensor, x, axis), x.shape) };
  },
};

const meanGradient: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0] as Tensor;
    const { axis } = attrs as unknown as { axis: number | number[] };
    const reduceSize = util.parseAxisParam(axis, x.shape).reduce((n, a) => n * (x.shape[a] as number), 1);
    return { x: () => broadcastTo(div(expandedDy(dy as Tensor, x, axis), reduceSize), x.shape) };
  },
};

/** RadLocal's gradient configs, in registration order. */
export const RADLOCAL_GRADIENTS: readonly GradConfig[] = [sumGradient, meanGradient];

/**
 * Registers RadLocal's Sum and Mean gradients (global in tfjs: every backend uses them). Call it
 * after tfjs's own gradients are registered (importing @tensorflow/tfjs-layers or
 * @tensorflow/tfjs does that), or they replace these. @returns the kernel names.
 */
export function registerRadLocalGradients(): string[] {
  for (const config of RADLOCAL_GRADIENTS) {
    if (getGradient(config.kernelName) !== config) registerGradient(config);
  }
  return RADLOCAL_GRADIENTS.map((c) => c.kernelName);
}
