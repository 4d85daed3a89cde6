/**
 * Gradients RadLocal registers in place of tfjs 4.22's.
 *
 * Sum and Mean — the same values without the allocation. tfjs's gradients of Sum and Mean broadcast dy to x's shape by multiplying it with
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
 *
 * FusedBatchNorm with per-channel statistics (mean [C], x [..., C]: every batch-norm layer in
 * training) — the same derivatives with 3 full-size passes and 2 reductions instead of tfjs's 10
 * passes (one a Tile) and 4 reductions. With r = 1/√(var + ε), g = scale, c = x − mean, sums over
 * every axis but the last:
 *   dx = dy · (r·g)    dmean = −r·g·Σdy    dvar = −½·r³·g·Σ(c·dy)    dscale = r·Σ(c·dy)    doffset = Σdy
 * The per-channel factors are taken out of the sums, so the values differ from tfjs's in the last
 * bits (tested against tfjs's gradient on the cpu backend to 1e-5 of the largest value).
 * Anything else (other statistics shapes) goes to tfjs's gradient.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { add, broadcastTo, div, FusedBatchNorm, getGradient, Mean, mul, neg, registerGradient, reshape, rsqrt, scalar, sub, sum, Sum, util, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';

/** Sum's or Mean's gradient: dy reshaped to x's rank (1 on the reduced axes), ÷ their size for Mean, broadcast to x. */
function reductionGradient(kernelName: typeof Sum | typeof Mean): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0] as Tensor;
      const axes = util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const reduced = reshape(dy as Tensor, x.shape.map((size, i) => (axes.includes(i) ? 1 : size)));
      const count = axes.reduce((n, a) => n * (x.shape[a] as number), 1);
      return { x: () => broadcastTo(kernelName === Mean ? div(reduced, count) : reduced, x.shape) };
    },
  };
}

const sumGradient = reductionGradient(Sum);
const meanGradient = reductionGradient(Mean);

/** tfjs's FusedBatchNorm gradient, for the shapes the fused form does not take (kept when ours is registered). */
let tfjsBatchNormGradient: GradConfig | undefined;

const batchNormGradient: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    // (tfjs saves every input for the backward pass: batch norm without a scale has no gradient in tfjs 4.22 either)
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor];
    const C = x.shape[x.rank - 1];
    const perChannel = x.rank >= 2 && [mean, variance, scale].every((t) => t.rank === 1 && t.shape[0] === C);
    if (!perChannel) {
      if (!tfjsBatchNormGradient) {
        throw new RadLocalError('INTERNAL', `Expected tfjs's FusedBatchNorm gradient for statistics of shape [${mean.shape.join(', ')}], but it was not registered.`);
      }
      return tfjsBatchNormGradient.gradFunc(dy, saved, attrs);
    }
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const r = rsqrt(add(variance, scalar(varianceEpsilon)));
    const rg = mul(r, scale);
    const dySum = sum(dy as Tensor, axes);
    const centredDySum = sum(mul(sub(x, mean), dy as Tensor), axes);
    return {
      x: () => mul(dy as Tensor, rg),
      mean: () => neg(mul(rg, dySum)),
      variance: () => mul(mul(mul(mul(mul(r, r), r), scalar(-0.5)), scale), centredDySum),
      scale: () => mul(r, centredDySum),
      offset: () => dySum,
    };
  },
};

/** RadLocal's gradient configs, in registration order. */
export const RADLOCAL_GRADIENTS: readonly GradConfig[] = [sumGradient, meanGradient, batchNormGradient];

/**
 * Registers RadLocal's Sum, Mean and FusedBatchNorm gradients (global in tfjs: every backend uses them). Call it
 * after tfjs's own gradients are registered (importing @tensorflow/tfjs-layers or
 * @tensorflow/tfjs does that), or they replace these. @returns the kernel names.
 */
export function registerRadLocalGradients(): string[] {
  const current = getGradient(FusedBatchNorm);
  if (current !== undefined && current !== batchNormGradient) tfjsBatchNormGradient = current;
  for (const config of RADLOCAL_GRADIENTS) {
    if (getGradient(config.kernelName) !== config) registerGradient(config);
  }
  return RADLOCAL_GRADIENTS.map((c) => c.kernelName);
}
