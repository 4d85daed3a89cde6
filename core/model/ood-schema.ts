/**
 * The model card's `ood` section (card schema version 2): the statistics of the
 * multi-layer Mahalanobis out-of-distribution detector (core/model/ood.ts) and the DICOM
 * header values seen in training. Fitted by the card stage (training/src/card/fit-ood.ts)
 * on training-split features, thresholded on held-out (validation) images.
 */
import { z } from 'zod';

/** How a tapped layer's activations are summarised (core/model/ood-features.ts computes them). */
export const OOD_SUMMARIES = ['channel-moments', 'top-bottom-means'] as const;
export type OodSummary = (typeof OOD_SUMMARIES)[number];

/** What a tapped layer looks at, in words a radiologist can use in a reason (core/model/ood.ts). */
export const OOD_LEVELS = ['texture', 'structure', 'anatomy', 'layout'] as const;
export type OodLevel = (typeof OOD_LEVELS)[number];

const finite = z.number().finite();
const probability = z.number().min(0).max(1);

/**
 * A long vector of finite numbers (a packed covariance factor: tens of thousands of values),
 * checked in one loop — per-element schema checks made parsing the default card take tens of
 * milliseconds on the cold start to the first score.
 */
const finiteVector = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)), {
  error: 'expected an array of finite numbers',
});

export const OodLayerStatsSchema = z.strictObject({
  /** Layer of the model whose output [N, h, w, C] is tapped. */
  layer: z.string().min(1),
  /** How the activations are summarised into a vector of `size` values (core/model/ood-features.ts). */
  summary: z.enum(OOD_SUMMARIES),
  level: z.enum(OOD_LEVELS),
  /** Length D of the summary vector (it is L2-normalised before the distance). */
  size: z.number().int().positive(),
  /** Mean of the normalised vectors over the training images, length D. */
  mean: finiteVector,
  /**
   * Lower-triangular Cholesky factor L of the Ledoit–Wolf covariance Σ = L·Lᵀ, packed row by
   * row (L₀₀, L₁₀, L₁₁, L₂₀, …): D(D+1)/2 values. Distance: |L⁻¹(x − mean)| (forward substitution).
   */
  choleskyPacked: finiteVector,
  /** Shrinkage intensity δ ∈ [0, 1] of Σ = (1 − δ)·S + δ·(tr S / D)·I. */
  shrinkage: probability,
  /** Mean and standard deviation of this layer's distance over the threshold images (z-scoring). */
  reference: z.strictObject({ mean: finite, std: z.number().positive() }),
});

export const OodStatsSchema = z
  .strictObject({
    method: z.literal('multi-layer-mahalanobis', {
      error: 'expected the multi-layer OOD statistics of card version 2 ("multi-layer-mahalanobis"); a card written before them has only the embedding statistics: refit it with `radlocal refit-card`',
    }),
    /** Per tapped layer, in forward order. Score = Σ_layers (distance − reference.mean) / reference.std. */
    layers: z.array(OodLayerStatsSchema).min(1),
    /** Score above which an image is out of distribution. */
    threshold: finite,
    /** Share of the threshold images (held out from the fit) accepted: the threshold is that quantile of their scores. */
    acceptance: probability,
    /** Which images the statistics and the threshold come from, e.g. "training split (1920 images)". */
    fittedOn: z.string().min(1),
    thresholdedOn: z.string().min(1),
    /** DICOM header values seen in training; a DICOM whose value is outside the list is flagged. */
    expected: z.strictObject({
      modalities: z.array(z.string()),
      bodyParts: z.array(z.string()),
      photometric: z.array(z.string()),
    }),
  })
  .superRefine((ood, ctx) => {
    ood.layers.forEach((layer, i) => {
      const d = layer.size;
      if (layer.mean.length !== d) ctx.addIssue({ code: 'custom', path: ['layers', i, 'mean'], message: `expected ${d} values, got ${layer.mean.length}` });
      if (layer.choleskyPacked.length !== (d * (d + 1)) / 2) {
        ctx.addIssue({ code: 'custom', path: ['layers', i, 'choleskyPacked'], message: `expected ${(d * (d + 1)) / 2} values (D(D+1)/2), got ${layer.choleskyPacked.length}` });
      }
    });
  });

export type OodLayerStats = z.infer<typeof OodLayerStatsSchema>;
export type OodStats = z.infer<typeof OodStatsSchema>;

const ci = z.tuple([probability, probability]);

/** One category of the OOD benchmark: in-distribution held-out images vs the category's images. */
export const OodCategoryResultSchema = z.strictObject({
  n: z.number().int().positive(),
  /** P(score of a category image > score of a held-out in-distribution image). */
  auroc: probability,
  aurocCi95: ci,
  /** Share of the category accepted at the threshold that accepts 95 % of the held-out images. */
  fprAt95Tpr: probability,
  fprAt95TprCi95: ci,
  /** Share of the category flagged at the card's threshold (pixels only, no header check). */
  flagged: probability,
});

/** The OOD benchmark (`radlocal evaluate --ood`, recorded in the card by `radlocal refit-card`). */
export const OodBenchmarkSchema = z.strictObject({
  /** The in-distribution images scored against every category, and the share of them the card flags. */
  inDistribution: z.strictObject({ source: z.string().min(1), n: z.number().int().positive(), flagged: probability }),
  bootstrapResamples: z.number().int().positive(),
  categories: z.record(z.string(), OodCategoryResultSchema),
});

export type OodCategoryResult = z.infer<typeof OodCategoryResultSchema>;
export type OodBenchmark = z.infer<typeof OodBenchmarkSchema>;
