/**
 * Out-of-distribution check: Mahalanobis distance of an image's pooled embedding to the
 * training embeddings (mean + shrunk covariance from the card), plus DICOM header checks.
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { OodStats } from './model-card.ts';

export interface OodResult {
  /** Mahalanobis distance of the embedding (not squared). */
  distance: number;
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

/** Combines the embedding distance and the header checks into the verdict. */
export function assessOod(embedding: ArrayLike<number>, stats: OodStats, header?: OodHeader): OodResult {
  const distance = mahalanobisDistance(embedding, stats.mean, stats.covarianceCholesky);
  const reasons = headerReasons(header, stats.expected);
  if (!(distance <= stats.distanceThreshold)) {
    reasons.unshift(
      `The image is unlike the training images (embedding distance ${distance.toFixed(1)} above the threshold ${stats.distanceThreshold.toFixed(1)}).`,
    );
  }
  return { distance, flagged: reasons.length > 0, reasons };
}
