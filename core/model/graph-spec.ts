/**
 * How RadLocal reads a graph model — the card's `architecture.graph` — and what its heatmap
 * is. Schema only (no tfjs), shared by the card (model-card.ts), the loader (graph-model.ts)
 * and the viewer.
 */
import { z } from 'zod';

/**
 * What the heatmap of a model is, stated in its card and shown by the viewer:
 * - `class-activation`: exact CAM — the head is linear over globally averaged features, so
 *   each label's map averages to its logit (minus the bias);
 * - `feature-energy`: the channel mean of the feature maps — where the network responds, the
 *   same map for every label (the head is not linear over pooled features);
 * - `none`: no usable spatial activation.
 */
export const CamKindSchema = z.enum(['class-activation', 'feature-energy', 'none']);
export type CamKind = z.infer<typeof CamKindSchema>;

/** How RadLocal reads a graph model (the card's `architecture.graph`). */
export const GraphModelSpecSchema = z.strictObject({
  /** The Placeholder the image is fed to. */
  inputNode: z.string().min(1),
  /** Batch size fixed by the export; null when any batch size is accepted. */
  batchSize: z.number().int().positive().nullable(),
  /** Node whose output 0 is [N, outputs]. */
  logitsNode: z.string().min(1),
  /** 'logits' when that node outputs logits; 'probabilities' for a sigmoid with no separate logit node (logit = ln p − ln(1 − p)). */
  logitsFrom: z.enum(['logits', 'probabilities']),
  /** Number of output columns of the model. */
  outputCount: z.number().int().positive(),
  /** The model's output column of each card label, in card label order. */
  outputColumns: z.array(z.number().int().nonnegative()).min(1),
  /** Node of the 4-D activation read for OOD and heatmaps; null when there is none. */
  featureNode: z.string().min(1).nullable(),
  featureLayout: z.enum(['nhwc', 'nchw']),
  /** [h, w, C] of that activation (NHWC order whatever its layout), measured at import; null without one. */
  featureShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).nullable(),
  /** Layout of other 4-D nodes read by name (the OOD detector's taps, card `ood.layers`); NHWC when not listed. */
  nodeLayouts: z.record(z.string(), z.enum(['nhwc', 'nchw'])).optional(),
  cam: z.strictObject({
    kind: CamKindSchema,
    /** Const node of the dense head's kernel ([C, outputs], or [outputs, C] when transposed); absent when the logits are the pooled features themselves. */
    kernelNode: z.string().min(1).optional(),
    kernelTransposed: z.boolean().optional(),
    /** Why the map is not class-specific (feature-energy, none). */
    reason: z.string().min(1).optional(),
  }),
});
export type GraphModelSpec = z.infer<typeof GraphModelSpecSchema>;
