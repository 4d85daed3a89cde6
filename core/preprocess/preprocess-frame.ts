/**
 * The one preprocessing path from a decoded frame to the model input, shared by training
 * (Node) and the viewer (browser):
 *
 *   modality LUT (PS3.3 C.11.1) → VOI (C.11.2) → MONOCHROME1 inversion → colour to grey
 *   (C.7.6.3.1.2)  [grey-frame.ts, one row at a time]
 *   → antialiased resize into the letterbox / centre crop  [fit-geometry.ts, resize.ts]
 *   → input adapter: intensity mapping ((v − mean) / std by default), channels, layout
 *     [input-adapter.ts].
 *
 * Deterministic and tfjs-free: the same DecodedImage gives the same floats in Node and
 * Chromium (only + − × ÷ and floor/ceil/abs/min/max in the default path; SIGMOID VOI uses
 * Math.exp and is only used when a file asks for it).
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { AppliedWindow } from './choose-window.ts';
import { fitGeometry, type FitGeometry } from './fit-geometry.ts';
import { greyRows } from './grey-frame.ts';
import { applyInputAdapter, DEFAULT_INPUT_ADAPTER } from './input-adapter.ts';
import { PreprocessParamsSchema, type PreprocessParams } from './params.ts';
import { resampleRows } from './resize.ts';

export interface PreprocessedInput {
  /**
   * Model input, float32, shape [height, width, channels] (layout 'nhwc') or
   * [channels, height, width] ('nchw'). Inside the content: the adapter's intensity mapping of
   * grey ∈ [0, 1] (0 = black on display), by default (grey − mean) / std; letterbox bars hold
   * `params.padValue` in every channel.
   */
  data: Float32Array;
  height: number;
  width: number;
  channels: 1 | 3;
  layout: 'nhwc' | 'nchw';
  /** VOI applied, in modality units, and where it came from. */
  window: AppliedWindow;
  /** True when MONOCHROME1 inversion was applied. */
  inverted: boolean;
  /** Where the source lies in the input (maps heatmaps back onto the original). */
  geometry: FitGeometry;
}

/** Validates preprocessing parameters (typed error PREPROCESS_INVALID_PARAMS). */
export function validatePreprocessParams(params: unknown): PreprocessParams {
  const parsed = PreprocessParamsSchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'unknown problem';
    throw new RadLocalError('PREPROCESS_INVALID_PARAMS', `Expected valid preprocessing parameters, but ${where}.`);
  }
  if (parsed.data.percentileLow >= parsed.data.percentileHigh) {
    throw new RadLocalError(
      'PREPROCESS_INVALID_PARAMS',
      `Expected percentileLow below percentileHigh, but got ${parsed.data.percentileLow} and ${parsed.data.percentileHigh}.`,
    );
  }
  const intensity = parsed.data.adapter?.intensity;
  if (intensity && (parsed.data.mean !== 0 || parsed.data.std !== 1)) {
    throw new RadLocalError(
      'PREPROCESS_INVALID_PARAMS',
      `Expected mean 0 and std 1 when the input adapter maps intensities itself (${intensity.kind}), but got mean ${parsed.data.mean} and std ${parsed.data.std}: set the mapping in one place.`,
    );
  }
  return parsed.data;
}

/**
 * Preprocesses frame `frameIndex` of `image` for the model.
 * @returns float32 input of shape [height, width, channels] or [channels, height, width] (params.adapter).
 */
export function preprocessFrame(image: DecodedImage, frameIndex: number, params: PreprocessParams): PreprocessedInput {
  const p = validatePreprocessParams(params);
  const grey = greyRows(image, frameIndex, p);
  const geometry = fitGeometry(grey.rows, grey.columns, p.height, p.width, p.fit);
  const resized = resampleRows(grey.rowAt, geometry, Number.NaN); // NaN marks the letterbox bars
  const adapter = p.adapter ?? DEFAULT_INPUT_ADAPTER;
  const data = applyInputAdapter(resized, adapter, p, p.padValue);
  return {
    data,
    height: p.height,
    width: p.width,
    channels: adapter.channels,
    layout: adapter.layout,
    window: grey.window,
    inverted: grey.inverted,
    geometry,
  };
}
