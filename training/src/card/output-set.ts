import type { OodHeader } from '../../../core/model/ood.ts';

/** Raw model outputs of a set of labelled images (core/model forward), row i = image i. */
export interface OutputSet {
  /** Logits in card label order. */
  logits: Float32Array[];
  /** OOD summary vectors, one per tapped layer (the card's `ood.layers` order). */
  oodFeatures: Float32Array[][];
  /** 0/1 per label (card label order). */
  truth: ArrayLike<number>[];
  /** DICOM header values for the OOD header checks (absent: pixels only). */
  headers?: (OodHeader | undefined)[];
}

/** Splits flat [n, width] outputs into rows. */
export function rowsOf(flat: Float32Array, n: number): Float32Array[] {
  const width = n === 0 ? 0 : flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * width, (i + 1) * width));
}
