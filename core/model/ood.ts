/**
 * Out-of-distribution check (card schema version 2): multi-layer Mahalanobis distance of an
 * image's tapped-layer summaries (core/model/ood-features.ts) to the training images — per
 * layer the L2-normalised vector's distance to a Ledoit–Wolf Gaussian (packed Cholesky factor
 * in the card), z-scored with held-out images' distances, summed — plus DICOM header checks.
 * Chosen by measurement (bench/ood.ts): the pooled embedding alone keeps what the findings need
 * and drops the texture and noise where synthetic and real images differ.
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { OodLevel } from './ood-schema.ts';
import type { OodLayerStats, OodStats } from './ood-schema.ts';

export interface OodResult {
  /** The detector's score (Σ of z-scored layer distances); the image is flagged by its pixels above `threshold`. */
  distance: number;
  /** The card's threshold on `distance`. */
  threshold: number;
  flagged: boolean;
  /** One sentence per reason; empty when not flagged. */
  reasons: string[];
}

/**
 * Cholesky factor of a symmetric positive-definite matrix.
 * @param matrix row-major n×n. @return lower-triangular L (row-major n×n), matrix = L·Lᵀ.
 */
export function cholesky(matrix: ArrayLike<number>, n: number): Float64Array {
  if (matrix.length !== n * n) throw new RadLocalError('INTERNAL', `Expected a ${n}×${n} matrix (${n * n} values), but got ${matrix.length}.`);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) throw new RadLocalError('INTERNAL', `Expected a positive-definite matrix, but pivot ${i} is ${sum}.`);
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  return l;
}

/**
 * Mahalanobis distance sqrt((x − μ)ᵀ Σ⁻¹ (x − μ)) with Σ = L·Lᵀ, by forward substitution L·y = x − μ.
 * @param embedding length D. @param mean length D. @param choleskyL row-major D×D lower-triangular.
 */
export function mahalanobisDistance(embedding: ArrayLike<number>, mean: ArrayLike<number>, choleskyL: ArrayLike<number>): number {
  const d = mean.length;
  if (embedding.length !== d || choleskyL.length !== d * d) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `Expected an embedding of length ${d} and a ${d}×${d} Cholesky factor, but got ${embedding.length} and ${choleskyL.length} values.`,
    );
  }
  const y = new Float64Array(d);
  let squared = 0;
  for (let i = 0; i < d; i++) {
    let v = (embedding[i] as number) - (mean[i] as number);
    for (let k = 0; k < i; k++) v -= (choleskyL[i * d + k] as number) * (y[k] as number);
    const yi = v / (choleskyL[i * d + i] as number);
    y[i] = yi;
    squared += yi * yi;
  }
  return Math.sqrt(squared);
}

/** The header attributes the card's expectations are checked against (absent values are not evidence). */
export type OodHeader = Pick<DecodedImage, 'source' | 'modality' | 'bodyPartExamined' | 'photometricInterpretation'>;

/** Just those attributes of an image or header (what a card's header sample keeps, and what the viewer sends with a model input). */
export function oodHeaderOf(image: OodHeader): OodHeader {
  return { source: image.source, modality: image.modality, bodyPartExamined: image.bodyPartExamined, photometricInterpretation: image.photometricInterpretation };
}

function normalise(value: string): string {
  return value.trim().toUpperCase();
}

/** Header reasons: a DICOM value present and outside the card's expected list. PNG/JPEG carry no header to check. */
export function headerReasons(header: OodHeader | undefined, expected: OodStats['expected']): string[] {
  if (!header || header.source !== 'dicom') return [];
  const reasons: string[] = [];
  const check = (what: string, value: string | undefined, allowed: string[]): void => {
    if (value === undefined || value.trim() === '' || allowed.length === 0) return;
    if (!allowed.map(normalise).includes(normalise(value))) {
      reasons.push(`${what} is ${value.trim()}, but the model was trained on ${allowed.join(', ')}.`);
    }
  };
  check('Modality', header.modality, expected.modalities);
  check('Body part', header.bodyPartExamined, expected.bodyParts);
  check('Photometric interpretation', header.photometricInterpretation, expected.photometric);
  return reasons;
}

/** Packs the lower triangle of a row-major n×n matrix row by row: (0,0), (1,0), (1,1), (2,0), … */
export function packLower(matrix: ArrayLike<number>, n: number): Float64Array {
  const packed = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) packed[k++] = matrix[i * n + j] as number;
  return packed;
}

/**
 * Mahalanobis distance with a packed lower-triangular Cholesky factor (see packLower).
 * @param x length D. @param mean length D. @param packed D(D+1)/2 values.
 */
export function mahalanobisPacked(x: ArrayLike<number>, mean: ArrayLike<number>, packed: ArrayLike<number>): number {
  const d = mean.length;
  if (x.length !== d || packed.length !== (d * (d + 1)) / 2) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `Expected a feature vector of length ${d} and ${(d * (d + 1)) / 2} packed Cholesky values, but got ${x.length} and ${packed.length}.`,
    );
  }
  const y = new Float64Array(d);
  let squared = 0;
  let row = 0;
  for (let i = 0; i < d; i++) {
    let v = (x[i] as number) - (mean[i] as number);
    for (let k = 0; k < i; k++) v -= (packed[row + k] as number) * (y[k] as number);
    const yi = v / (packed[row + i] as number);
    y[i] = yi;
    squared += yi * yi;
    row += i + 1;
  }
  return Math.sqrt(squared);
}

/** x / |x| (all zeros stay zeros). */
export function l2Normalised(x: ArrayLike<number>): Float64Array {
  let norm = 0;
  for (let i = 0; i < x.length; i++) norm += (x[i] as number) ** 2;
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float64Array.from(x as ArrayLike<number>, (v) => v * s);
}

/** Distance of one tapped layer's summary vector to the training images: |L⁻¹(x/|x| − mean)|. */
export function layerDistance(vector: ArrayLike<number>, layer: OodLayerStats): number {
  return mahalanobisPacked(l2Normalised(vector), layer.mean, layer.choleskyPacked);
}

export interface OodScore {
  /** Σ over layers of the z-scored distances. */
  score: number;
  /** Per layer (card order), (distance − reference.mean) / reference.std. */
  z: number[];
}

/** The detector's score of one image. @param vectors one summary vector per card layer, in card order. */
export function oodScore(vectors: readonly ArrayLike<number>[], stats: Pick<OodStats, 'layers'>): OodScore {
  if (vectors.length !== stats.layers.length) {
    throw new RadLocalError('MODEL_INPUT_MISMATCH', `Expected ${stats.layers.length} OOD feature vectors (one per tapped layer), but got ${vectors.length}.`);
  }
  const z = stats.layers.map((layer, i) => (layerDistance(vectors[i] as ArrayLike<number>, layer) - layer.reference.mean) / layer.reference.std);
  return { score: z.reduce((a, b) => a + b, 0), z };
}

const LEVEL_WORDS: Record<OodLevel, string> = {
  texture: 'fine texture, noise and grey levels',
  structure: 'local structures',
  anatomy: 'anatomy',
  layout: 'layout (which way up, where things lie)',
};

/** The sentence shown first when the pixels are unlike the training images. */
export const OUTSIDE_DOMAIN = 'Outside the domain this model was validated on: it was trained on synthetic phantoms';

/**
 * The verdict: the image's pixels (score above the card's threshold) and its DICOM header.
 * `distance` is the score, so the predict JSON keeps its `ood.distance` field.
 */
export function assessOod(vectors: readonly ArrayLike<number>[], stats: OodStats, header?: OodHeader): OodResult {
  const { score, z } = oodScore(vectors, stats);
  const reasons = headerReasons(header, stats.expected);
  if (!(score <= stats.threshold)) {
    let worst = 0;
    z.forEach((v, i) => (v > (z[worst] as number) ? (worst = i) : undefined));
    const level = (stats.layers[worst] as OodLayerStats).level;
    reasons.unshift(
      `${OUTSIDE_DOMAIN}, and this image is unlike them (OOD score ${score.toFixed(1)} above the limit ${stats.threshold.toFixed(1)}; most unusual: ${LEVEL_WORDS[level]}).`,
    );
  }
  return { distance: score, threshold: stats.threshold, flagged: reasons.length > 0, reasons };
}
