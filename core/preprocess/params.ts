/**
 * Preprocessing parameters: the typed object the model card carries (core/model) and that
 * training and the browser both pass to core/preprocess. Validated with one zod schema.
 */
import { z } from 'zod';
import { InputAdapterSchema } from './input-adapter.ts';

export const VoiStrategySchema = z.enum([
  /** First window of the file (WindowCenter/Width), else its VOI LUT, else the percentile window. */
  'file-then-percentile',
  /** Always the robust percentile window over the modality-LUT output. */
  'percentile',
]);

export const PreprocessParamsSchema = z
  .object({
    /** Model input height and width in pixels. */
    height: z.number().int().min(8).max(2048),
    width: z.number().int().min(8).max(2048),
    voi: VoiStrategySchema,
    /** Percentiles (0–100) for the robust window when the file has none or when `voi` is 'percentile'. */
    percentileLow: z.number().min(0).max(50),
    percentileHigh: z.number().min(50).max(100),
    /** 'letterbox' keeps the whole image and pads with `padValue`; 'center-crop' fills the input. */
    fit: z.enum(['letterbox', 'center-crop']),
    /** Value (in output units, after normalisation) used for letterbox padding. */
    padValue: z.number(),
    /** After VOI the image is in [0, 1] (0 = black on display); output = (v - mean) / std. */
    mean: z.number(),
    std: z.number().positive(),
    /**
     * Layout, channels and intensity mapping of the model input (input-adapter.ts). Absent:
     * grey NHWC with the scalar mean/std above (RadLocal's own models). With an `intensity`,
     * `mean` must be 0 and `std` 1 so that one field says how intensities are mapped.
     */
    adapter: InputAdapterSchema.optional(),
  })
  .strict();

export type PreprocessParams = z.infer<typeof PreprocessParamsSchema>;

export const DEFAULT_PREPROCESS_PARAMS: PreprocessParams = {
  height: 128,
  width: 128,
  voi: 'file-then-percentile',
  percentileLow: 0.5,
  percentileHigh: 99.5,
  fit: 'letterbox',
  padValue: 0,
  mean: 0,
  std: 1,
};
