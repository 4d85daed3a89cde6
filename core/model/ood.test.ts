import { describe, expect, it } from 'vitest';
import { exampleCard } from '../../test/helpers/example-card.ts';
import { assessOod, cholesky, headerReasons, l2Normalised, layerDistance, mahalanobisDistance, mahalanobisPacked, oodScore, packLower } from './ood.ts';
import type { OodLayerStats } from './ood-schema.ts';

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
  const stats = exampleCard().ood; // one layer: mean 0, identity covariance, reference (0, 1), threshold 3

  it('accepts an image whose score is within the limit', () => {
    // A unit vector is at distance 1 from the mean 0: z = 1.
    const ok = assessOod([[1, 1]], stats);
    expect(ok.distance).toBeCloseTo(1, 12);
    expect(ok).toMatchObject({ threshold: 3, flagged: false, reasons: [] });
  });

  it('flags DICOM headers outside the training distribution, ignoring absent values and PNG/JPEG', () => {
    const ct = { source: 'dicom' as const, modality: 'CT', bodyPartExamined: 'HEAD', photometricInterpretation: 'MONOCHROME2' as const };
    expect(headerReasons(ct, stats.expected)).toEqual([
      'Modality is CT, but the model was trained on CR, DX.',
      'Body part is HEAD, but the model was trained on CHEST.',
    ]);
    expect(headerReasons({ ...ct, modality: 'dx', bodyPartExamined: undefined }, stats.expected)).toEqual([]);
    expect(headerReasons({ ...ct, source: 'png' }, stats.expected)).toEqual([]);
    const rgb = assessOod([[0, 1]], stats, { ...ct, modality: 'CR', bodyPartExamined: 'CHEST', photometricInterpretation: 'RGB' });
    expect(rgb.flagged).toBe(true);
    expect(rgb.reasons).toEqual(['Photometric interpretation is RGB, but the model was trained on MONOCHROME1, MONOCHROME2.']);
  });
});

describe('multi-layer Mahalanobis score', () => {
  const l = cholesky([4, 2, 2, 3], 2);
  const layer = (level: OodLayerStats['level'], reference = { mean: 0, std: 1 }): OodLayerStats => ({
    layer: `tap-${level}`,
    summary: 'channel-moments',
    level,
    size: 2,
    mean: [0.6, 0.8],
    choleskyPacked: Array.from(packLower(l, 2)),
    shrinkage: 0,
    reference,
  });

  it('packs the lower triangle row by row and gives the same distance as the full factor', () => {
    expect(Array.from(packLower([1, 0, 0, 2, 3, 0, 4, 5, 6], 3))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mahalanobisPacked([3, 2], [1, 1], packLower(l, 2))).toBeCloseTo(mahalanobisDistance([3, 2], [1, 1], l), 12);
    expect(() => mahalanobisPacked([1, 2, 3], [0, 0], packLower(l, 2))).toThrow(/length 2/);
  });

  it('L2-normalises each vector first, so only its direction counts', () => {
    const unit = l2Normalised([3, 4]);
    expect(unit[0]).toBeCloseTo(0.6, 15);
    expect(unit[1]).toBeCloseTo(0.8, 15);
    expect(Array.from(l2Normalised([0, 0]))).toEqual([0, 0]);
    expect(layerDistance([30, 40], layer('texture'))).toBeCloseTo(0, 12);
    // (0, 1) − (0.6, 0.8) = (−0.6, 0.2): y₀ = −0.3, y₁ = (0.2 − 1·(−0.3)) / √2 → d² = 0.09 + 0.125.
    expect(layerDistance([0, 5], layer('texture'))).toBeCloseTo(Math.sqrt(0.09 + 0.125), 12);
  });

  it('sums the z-scored layer distances and explains a flag by the most unusual level', () => {
    const stats = {
      method: 'multi-layer-mahalanobis' as const,
      layers: [layer('texture', { mean: 0.1, std: 0.05 }), layer('layout', { mean: 0.2, std: 0.1 })],
      threshold: 3,
      acceptance: 0.98,
      fittedOn: 'training split (2 images)',
      thresholdedOn: 'validation split (2 images)',
      expected: { modalities: ['CR', 'DX'], bodyParts: ['CHEST'], photometric: ['MONOCHROME1', 'MONOCHROME2'] },
    };
    const d = Math.sqrt(0.09 + 0.125);
    const { score, z } = oodScore([[3, 4], [0, 1]], stats);
    expect(z[0]).toBeCloseTo(-2, 12);
    expect(z[1]).toBeCloseTo((d - 0.2) / 0.1, 12);
    expect(score).toBeCloseTo(-2 + (d - 0.2) / 0.1, 12);
    expect(assessOod([[3, 4], [3, 4]], stats)).toMatchObject({ flagged: false, reasons: [] });
    const flagged = assessOod([[0, 1], [0, 1]], stats, { source: 'dicom', modality: 'CT', bodyPartExamined: undefined, photometricInterpretation: 'MONOCHROME2' });
    expect(flagged.flagged).toBe(true);
    expect(flagged.distance).toBeCloseTo((d - 0.1) / 0.05 + (d - 0.2) / 0.1, 12);
    expect(flagged.reasons).toEqual([
      `Outside the domain this model was validated on: it was trained on synthetic phantoms, and this image is unlike them (OOD score ${flagged.distance.toFixed(1)} above the limit 3.0; most unusual: fine texture, noise and grey levels).`,
      'Modality is CT, but the model was trained on CR, DX.',
    ]);
    expect(() => oodScore([[1, 2]], stats)).toThrow(/Expected 2 OOD feature vectors/);
  });
});
