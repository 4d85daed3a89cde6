/**
 * OOD statistics of the pooled embedding: mean and Ledoit–Wolf shrunk covariance over the
 * training images, stored as a Cholesky factor; the distance threshold is a high percentile
 * of validation distances.
 */
import { cholesky, mahalanobisDistance } from '../../../core/model/ood.ts';

export interface ShrunkCovariance {
  mean: Float64Array;
  /** Row-major D×D. */
  covariance: Float64Array;
  /** Ledoit–Wolf intensity δ: Σ = (1 − δ)·S + δ·μ·I with μ = tr(S)/D. */
  shrinkage: number;
}

/**
 * Ledoit & Wolf (2004) shrinkage towards a scaled identity.
 * @param rows n embeddings of length d.
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

/** Linear-interpolated percentile (0–100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export interface FittedOod {
  mean: number[];
  covarianceCholesky: number[];
  shrinkage: number;
  distanceThreshold: number;
  thresholdPercentile: number;
}

export function fitOodStatistics(train: readonly ArrayLike<number>[], val: readonly ArrayLike<number>[], d: number, thresholdPercentile = 99): FittedOod {
  const { mean, covariance, shrinkage } = ledoitWolf(train, d);
  const l = cholesky(covariance, d);
  const distances = val.map((e) => mahalanobisDistance(e, mean, l));
  return {
    mean: Array.from(mean),
    covarianceCholesky: Array.from(l),
    shrinkage,
    distanceThreshold: percentile(distances, thresholdPercentile),
    thresholdPercentile,
  };
}
