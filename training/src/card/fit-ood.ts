/**
 * OOD statistics for the card (core/model/ood-schema.ts): per tapped layer, the mean and
 * Ledoit–Wolf shrunk covariance of the L2-normalised summary vectors over the FIT images
 * (the training split), stored as a packed Cholesky factor rounded to float32-like precision;
 * then, on OTHER images (the validation split, never the fit images), each layer's distance
 * mean/std for z-scoring and the threshold: the `acceptance` quantile of their summed z-scores.
 * Everything after the rounding is computed with the rounded statistics, so the card is exactly
 * what the threshold was set with.
 */
import { sortedQuantile } from '../../../core/metrics/metrics.ts';
import { cholesky, l2Normalised, layerDistance, oodScore, packLower } from '../../../core/model/ood.ts';
import type { OodLayerSpec } from '../../../core/model/ood-features.ts';
import type { OodLayerStats, OodStats } from '../../../core/model/ood-schema.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { OodHeader } from '../../../core/model/ood.ts';
import { expectedHeaders } from './header-sample.ts';

export interface ShrunkCovariance {
  mean: Float64Array;
  /** Row-major D×D. */
  covariance: Float64Array;
  /** Ledoit–Wolf intensity δ: Σ = (1 − δ)·S + δ·μ·I with μ = tr(S)/D. */
  shrinkage: number;
}

/**
 * Ledoit & Wolf (2004) shrinkage towards a scaled identity.
 * @param rows n vectors of length d.
 */
export function ledoitWolf(rows: readonly ArrayLike<number>[], d: number): ShrunkCovariance {
  const n = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) + (r[i] as number) / n;
  const centred = rows.map((r) => Float64Array.from({ length: d }, (_, i) => (r[i] as number) - (mean[i] as number)));
  const s = new Float64Array(d * d);
  for (const x of centred) {
    for (let i = 0; i < d; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      for (let j = 0; j < d; j++) s[i * d + j] = (s[i * d + j] as number) + (xi * (x[j] as number)) / n;
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) trace += s[i * d + i] as number;
  const mu = trace / d;
  // δ² = ‖S − μI‖²_F ; β̄² = (1/n²) Σ_k ‖x_k x_kᵀ − S‖²_F = (1/n²) Σ_k (‖x_k‖⁴ − 2 x_kᵀ S x_k + ‖S‖²_F)
  let dist2 = 0;
  let sNorm2 = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const v = s[i * d + j] as number;
      sNorm2 += v * v;
      const diff = v - (i === j ? mu : 0);
      dist2 += diff * diff;
    }
  }
  let beta2 = 0;
  for (const x of centred) {
    let norm2 = 0;
    let quad = 0;
    for (let i = 0; i < d; i++) {
      norm2 += (x[i] as number) ** 2;
      let row = 0;
      for (let j = 0; j < d; j++) row += (s[i * d + j] as number) * (x[j] as number);
      quad += (x[i] as number) * row;
    }
    beta2 += norm2 * norm2 - 2 * quad + sNorm2;
  }
  beta2 /= n * n;
  const shrinkage = dist2 > 0 ? Math.min(1, Math.max(0, Math.min(beta2, dist2) / dist2)) : 1;
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) covariance[i * d + j] = (1 - shrinkage) * (s[i * d + j] as number) + (i === j ? shrinkage * mu : 0);
    // A tiny ridge keeps Σ positive definite when features are dead (all-zero ReLU channels).
    covariance[i * d + i] = (covariance[i * d + i] as number) + 1e-6 * Math.max(mu, 1e-6);
  }
  return { mean, covariance, shrinkage };
}

/** Rounds to 7 significant digits (float32 precision): a card half the size, identical in every reader. */
function round7(x: number): number {
  return Number(x.toPrecision(7));
}

export const DEFAULT_OOD_ACCEPTANCE = 0.98;

/**
 * @param fit per image, one summary vector per layer (same order as `layers`): the statistics' images.
 * @param threshold the same for other, held-out in-distribution images: z-scoring and threshold.
 * @param acceptance share of `threshold` images to accept (default 0.98).
 */
export function fitOodStatistics(
  layers: readonly OodLayerSpec[],
  fit: readonly (readonly ArrayLike<number>[])[],
  threshold: readonly (readonly ArrayLike<number>[])[],
  acceptance = DEFAULT_OOD_ACCEPTANCE,
): Pick<OodStats, 'method' | 'layers' | 'threshold' | 'acceptance'> {
  const fitted: OodLayerStats[] = layers.map((spec, k) => {
    const rows = fit.map((image) => l2Normalised(image[k] as ArrayLike<number>));
    const d = rows[0]?.length ?? 0;
    const { mean, covariance, shrinkage } = ledoitWolf(rows, d);
    const stats: OodLayerStats = {
      ...spec,
      size: d,
      mean: Array.from(mean, round7),
      choleskyPacked: Array.from(packLower(cholesky(covariance, d), d), round7),
      shrinkage: round7(shrinkage),
      reference: { mean: 0, std: 1 },
    };
    const distances = threshold.map((image) => layerDistance(image[k] as ArrayLike<number>, stats));
    const m = distances.reduce((a, b) => a + b, 0) / distances.length;
    const sd = Math.sqrt(distances.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, distances.length - 1));
    return { ...stats, reference: { mean: round7(m), std: round7(sd > 0 ? sd : 1) } };
  });
  const scores = threshold.map((image) => oodScore(image, { layers: fitted }).score).sort((a, b) => a - b);
  return { method: 'multi-layer-mahalanobis', layers: fitted, threshold: sortedQuantile(scores, acceptance), acceptance };
}

/** What the card stage is given to fit the card's `ood` section. */
export interface OodFitInput {
  /** The tapped layers (core/model/ood-features.ts defaultOodLayers), in graph `oodOutputs` order. */
  layers: readonly OodLayerSpec[];
  /** Per image, one summary vector per layer: the images the statistics are fitted on (training split). */
  fit: readonly (readonly Float32Array[])[];
  /** Said in the card, e.g. "training split (1920 images)". */
  fittedOn: string;
  /** The same for other, held-out in-distribution images: z-scoring and the threshold. */
  threshold: readonly (readonly Float32Array[])[];
  thresholdedOn: string;
  /** Share of the threshold images accepted (default DEFAULT_OOD_ACCEPTANCE). */
  acceptance?: number;
  /** DICOM headers of the images the model was fitted on (their values become the expected ones). */
  headers: Iterable<OodHeader | undefined>;
}

/** The card's `ood` section. */
export function fitOodSection(input: OodFitInput): OodStats {
  if (input.fit.length < 2 || input.threshold.length < 2) {
    throw new RadLocalError('DATASET_INVALID', `Expected at least 2 images to fit the OOD statistics on and 2 others to set their threshold, but got ${input.fit.length} and ${input.threshold.length}.`);
  }
  return {
    ...fitOodStatistics(input.layers, input.fit, input.threshold, input.acceptance ?? DEFAULT_OOD_ACCEPTANCE),
    fittedOn: input.fittedOn,
    thresholdedOn: input.thresholdedOn,
    expected: expectedHeaders(input.headers),
  };
}
