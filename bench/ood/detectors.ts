/**
 * Candidate out-of-distribution detectors, compared by bench/ood.ts. Every detector is fitted
 * on training-split features only and returns a score per image (higher = less like the
 * training images); thresholds are set elsewhere, on held-out in-distribution images.
 */
import { cholesky, mahalanobisDistance } from '../../core/model/ood.ts';
import { ledoitWolf } from '../../training/src/card/fit-ood.ts';

export type Vec = Float32Array | Float64Array;
export type Scorer = (x: Vec) => number;

export function l2normalise(x: Vec): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) n += (x[i] as number) ** 2;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float64Array.from(x, (v) => v * s);
}

/** Mahalanobis distance to a Ledoit–Wolf Gaussian of the rows. */
export function fitMahalanobis(rows: readonly Vec[]): Scorer {
  const d = rows[0]?.length ?? 0;
  const { mean, covariance } = ledoitWolf(rows, d);
  const l = cholesky(covariance, d);
  return (x) => mahalanobisDistance(x, mean, l);
}

/** Standardised Euclidean distance (diagonal covariance): for wide features whose full covariance would not fit a card. */
export function fitDiagonal(rows: readonly Vec[]): Scorer {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) + (r[i] as number) / rows.length;
  for (const r of rows) for (let i = 0; i < d; i++) variance[i] = (variance[i] as number) + ((r[i] as number) - (mean[i] as number)) ** 2 / rows.length;
  let floor = 0;
  for (let i = 0; i < d; i++) floor += (variance[i] as number) / d;
  return (x) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += ((x[i] as number) - (mean[i] as number)) ** 2 / ((variance[i] as number) + 1e-3 * floor);
    return Math.sqrt(s);
  };
}

/** Mean and standard deviation of a score over reference images (for z-scoring). */
export function moments(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * Several per-layer scorers z-scored with reference statistics and combined.
 * @param reference per layer, the scores of reference in-distribution images.
 */
export function combineZ(scorers: readonly Scorer[], reference: readonly number[][], how: 'max' | 'sum'): (xs: readonly Vec[]) => number {
  const norm = reference.map(moments);
  return (xs) => {
    const z = scorers.map((s, i) => (s(xs[i] as Vec) - (norm[i] as { mean: number }).mean) / (norm[i] as { std: number }).std);
    return how === 'max' ? Math.max(...z) : z.reduce((a, b) => a + b, 0);
  };
}

/** k-th nearest-neighbour cosine distance (1 − cos) to the training bank (Sun et al. 2022, normalised features). */
export function fitKnn(rows: readonly Vec[], k: number): Scorer {
  const bank = rows.map(l2normalise);
  const d = bank[0]?.length ?? 0;
  return (x) => {
    const q = l2normalise(x);
    const sims = new Float64Array(bank.length);
    bank.forEach((b, j) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += (b[i] as number) * (q[i] as number);
      sims[j] = s;
    });
    sims.sort();
    return 1 - (sims[sims.length - k] as number);
  };
}

/**
 * Relative Mahalanobis (Ren et al. 2021): min over classes of the class-conditional distance
 * (shared covariance) minus the distance to one class-agnostic Gaussian. Classes here are the
 * training images' finding patterns with at least `minCount` images.
 */
export function fitRelativeMahalanobis(rows: readonly Vec[], classes: readonly string[], minCount = 40): Scorer {
  const d = rows[0]?.length ?? 0;
  const groups = new Map<string, number[]>();
  classes.forEach((c, i) => groups.set(c, [...(groups.get(c) ?? []), i]));
  const kept = [...groups.values()].filter((g) => g.length >= minCount);
  const means = kept.map((g) => {
    const m = new Float64Array(d);
    for (const i of g) for (let j = 0; j < d; j++) m[j] = (m[j] as number) + ((rows[i] as Vec)[j] as number) / g.length;
    return m;
  });
  const centred: Float64Array[] = [];
  kept.forEach((g, k) => {
    for (const i of g) centred.push(Float64Array.from(rows[i] as Vec, (v, j) => v - ((means[k] as Float64Array)[j] as number)));
  });
  const { covariance } = ledoitWolf(centred, d);
  const l = cholesky(covariance, d);
  const background = fitMahalanobis(rows);
  return (x) => {
    let best = Infinity;
    for (const m of means) best = Math.min(best, mahalanobisDistance(x, m, l) ** 2);
    return best - background(x) ** 2;
  };
}
