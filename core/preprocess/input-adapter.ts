/**
 * Input adapters: how the display-ready grey image (values in [0, 1], 0 = black) becomes the
 * tensor a model trained elsewhere expects. One adapter per model, stored in the card's
 * preprocessing section and applied by core/preprocess in Node and in the browser:
 *
 * - layout: `nhwc` (TensorFlow/Keras: [N, H, W, C]) or `nchw` (PyTorch/ONNX: [N, C, H, W]);
 * - channels: 1 (grey) or 3 (the grey image replicated into R, G and B);
 * - intensity: grey v ∈ [0, 1] → a `range` [min, max] (v ↦ min + v·(max − min): [0, 1],
 *   [−1, 1], TorchXRayVision's [−1024, 1024]) or a per-channel `mean-std`
 *   (v ↦ (v − mean_c) / std_c: ImageNet's mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]).
 *   Without `intensity`, the preprocessing section's scalar `mean` / `std` apply — the mapping
 *   RadLocal's own models use.
 *
 * A card without an adapter reads as the default adapter (grey, NHWC, scalar mean/std): every
 * model exported before adapters existed keeps producing bit-identical inputs.
 */
import { z } from 'zod';

const finite = z.number().finite();

export const IntensityMappingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('range'), min: finite, max: finite }).refine((r) => r.min !== r.max, 'expected min ≠ max'),
  z.strictObject({
    kind: z.literal('mean-std'),
    /** One value for every channel, or one per channel. */
    mean: z.array(finite).min(1).max(3),
    std: z.array(z.number().finite().positive()).min(1).max(3),
  }),
]);

export const InputAdapterSchema = z
  .strictObject({
    layout: z.enum(['nhwc', 'nchw']),
    channels: z.union([z.literal(1), z.literal(3)]),
    intensity: IntensityMappingSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.intensity?.kind !== 'mean-std') return;
    for (const key of ['mean', 'std'] as const) {
      const n = a.intensity[key].length;
      if (n !== 1 && n !== a.channels) {
        ctx.addIssue({ code: 'custom', path: ['intensity', key], message: `expected 1 or ${a.channels} values (one per channel), got ${n}` });
      }
    }
  });

export type IntensityMapping = z.infer<typeof IntensityMappingSchema>;
export type InputAdapter = z.infer<typeof InputAdapterSchema>;

/** What a card without an adapter means: RadLocal's own models (grey, NHWC, scalar mean/std). */
export const DEFAULT_INPUT_ADAPTER: InputAdapter = { layout: 'nhwc', channels: 1 };

/** Named intensity mappings for the import command and the docs. */
export const INTENSITY_PRESETS = {
  '0,1': { kind: 'range', min: 0, max: 1 },
  '-1,1': { kind: 'range', min: -1, max: 1 },
  '-1024,1024': { kind: 'range', min: -1024, max: 1024 },
  '0,255': { kind: 'range', min: 0, max: 255 },
  imagenet: { kind: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
} as const satisfies Record<string, IntensityMapping>;

/** The model input shape without the batch dimension, in the adapter's layout. */
export function inputShapeOf(adapter: InputAdapter, height: number, width: number): [number, number, number] {
  return adapter.layout === 'nchw' ? [adapter.channels, height, width] : [height, width, adapter.channels];
}

/** The intensity formula of one channel (see the header). */
function channelMap(intensity: IntensityMapping, channel: number): (v: number) => number {
  if (intensity.kind === 'range') {
    const { min } = intensity;
    const span = intensity.max - intensity.min;
    return (v) => min + v * span;
  }
  const mean = (intensity.mean.length === 1 ? intensity.mean[0] : intensity.mean[channel]) as number;
  const std = (intensity.std.length === 1 ? intensity.std[0] : intensity.std[channel]) as number;
  return (v) => (v - mean) / std;
}

/**
 * Builds the model input from the resized grey image.
 * @param grey [height, width] row-major, values in [0, 1]; NaN marks letterbox bars.
 * @param scalar the preprocessing section's `mean` / `std`, used when the adapter has no intensity.
 * @param pad value (in model-input units) written into every channel of the letterbox bars.
 * @returns float32 of length height·width·channels in the adapter's layout.
 */
export function applyInputAdapter(
  grey: Float32Array,
  adapter: InputAdapter,
  scalar: { mean: number; std: number },
  pad: number,
): Float32Array {
  const { channels } = adapter;
  const intensity: IntensityMapping = adapter.intensity ?? { kind: 'mean-std', mean: [scalar.mean], std: [scalar.std] };
  const pixels = grey.length;
  const out = channels === 1 ? grey : new Float32Array(pixels * channels);
  for (let c = 0; c < channels; c++) {
    const f = channelMap(intensity, c);
    // NHWC interleaves channels (pixel p, channel c at p·C + c); NCHW stores one plane per channel.
    const stride = adapter.layout === 'nhwc' ? channels : 1;
    const base = adapter.layout === 'nhwc' ? c : c * pixels;
    for (let p = 0; p < pixels; p++) {
      const v = grey[p] as number;
      out[base + p * stride] = v === v ? f(v) : pad; // NaN marks the letterbox bars
    }
  }
  return out;
}
