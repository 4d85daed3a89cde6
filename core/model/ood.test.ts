import { describe, expect, it } from 'vitest';
import { exampleCard } from './example-card.ts';
import { assessOod, cholesky, headerReasons, mahalanobisDistance } from './ood.ts';

describe('Mahalanobis distance', () => {
  it('matches a hand-computed 2×2 case', () => {
    // Σ = [[4, 2], [2, 3]], Σ⁻¹ = 1/8 · [[3, −2], [−2, 4]]; x − μ = (2, 1):
    // d² = (3·4 − 2·2·2·1 + 4·1) / 8 = (12 − 8 + 4) / 8 = 1.
    const l = cholesky([4, 2, 2, 3], 2);
    expect(Array.from(l)).toEqual([2, 0, 1, Math.sqrt(2)]);
    expect(mahalanobisDistance([3, 2], [1, 1], l)).toBeCloseTo(1, 12);
    // x − μ = (0, 2): d² = 4·4 / 8 = 2.
    expect(mahalanobisDistance([1, 3], [1, 1], l)).toBeCloseTo(Math.SQRT2, 12);
  });

  it('is the Euclidean distance for identity covariance', () => {
    expect(mahalanobisDistance([3, 4, 0], [0, 0, 0], cholesky([1, 0, 0, 0, 1, 0, 0, 0, 1], 3))).toBeCloseTo(5, 12);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => cholesky([1, 2, 2, 1], 2)).toThrow(/positive-definite/);
  });
});

describe('assessOod', () => {
  const stats = exampleCard().ood; // mean 0, identity covariance, threshold 3

  it('flags by distance and explains why', () => {
    expect(assessOod([1, 1], stats)).toEqual({ distance: Math.SQRT2, flagged: false, reasons: [] });
    const far = assessOod([3, 4], stats);
    expect(far.distance).toBeCloseTo(5, 12);
    expect(far.flagged).toBe(true);
    expect(far.reasons[0]).toMatch(/distance 5\.0 above the threshold 3\.0/);
  });

  it('flags DICOM headers outside the training distribution, ignoring absent values and PNG/JPEG', () => {
    const ct = { source: 'dicom' as const, modality: 'CT', bodyPartExamined: 'HEAD', photometricInterpretation: 'MONOCHROME2' as const };
    expect(headerReasons(ct, stats.expected)).toEqual([
      'Modality is CT, but the model was trained on CR, DX.',
      'Body part is HEAD, but the model was trained on CHEST.',
    ]);
    expect(headerReasons({ ...ct, modality: 'dx', bodyPartExamined: undefined }, stats.expected)).toEqual([]);
    expect(headerReasons({ ...ct, source: 'png' }, stats.expected)).toEqual([]);
    const rgb = assessOod([0, 0], stats, { ...ct, modality: 'CR', bodyPartExamined: 'CHEST', photometricInterpretation: 'RGB' });
    expect(rgb.flagged).toBe(true);
    expect(rgb.reasons).toEqual(['Photometric interpretation is RGB, but the model was trained on MONOCHROME1, MONOCHROME2.']);
  });
});
