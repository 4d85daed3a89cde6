/**
 * Class activation maps. For a network ending in global average pooling + dense, the logit of
 * label c is b_c + mean_ij Σ_k w_kc·A_ijk, so CAM_c(i, j) = Σ_k w_kc·A_ijk is exact: its mean
 * over the map is the logit minus the bias. For a logit-map head (card `architecture.head`)
 * the map M_c(i, j) = b_c + Σ_k w_kc·A_ijk is what the logit pools ((max M_c + mean M_c) / 2):
 * with the bias given, rawCam returns M_c itself.
 */

export interface FeatureMaps {
  /** Last convolutional activations, shape [height, width, channels], row-major, float32. */
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export interface CamMap {
  /** Shape [height, width] row-major, float32; normalised maps are in [0, 1]. */
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * Raw CAM at feature resolution for one label.
 * @param kernel dense kernel, shape [channels, labels] row-major. @param labelIndex column of `kernel`.
 * @param bias per label, added for a logit-map head (the map the logit pools); omit for a dense head.
 */
export function rawCam(features: FeatureMaps, kernel: ArrayLike<number>, labels: number, labelIndex: number, bias?: ArrayLike<number>): CamMap {
  const { height, width, channels, data } = features;
  const out = new Float32Array(height * width);
  const offset = bias ? (bias[labelIndex] as number) : 0;
  for (let p = 0; p < height * width; p++) {
    let sum = offset;
    for (let k = 0; k < channels; k++) sum += (data[p * channels + k] as number) * (kernel[k * labels + labelIndex] as number);
    out[p] = sum;
  }
  return { data: out, height, width };
}

/**
 * Bilinear resize with pixel centres aligned (half-pixel convention, edges clamped).
 * @return map of shape [height, width].
 */
export function resizeBilinear(map: CamMap, height: number, width: number): CamMap {
  const out = new Float32Array(height * width);
  const sy = map.height / height;
  const sx = map.width / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), map.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, map.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), map.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, map.width - 1);
      const wx = fx - x0;
      const a = map.data[y0 * map.width + x0] as number;
      const b = map.data[y0 * map.width + x1] as number;
      const c = map.data[y1 * map.width + x0] as number;
      const d = map.data[y1 * map.width + x1] as number;
      out[y * width + x] = (a * (1 - wx) + b * wx) * (1 - wy) + (c * (1 - wx) + d * wx) * wy;
    }
  }
  return { data: out, height, width };
}

/** Keeps the evidence for the label (ReLU) and scales it to [0, 1] by its maximum; all zeros when there is none. */
export function normaliseCam(map: CamMap): CamMap {
  let max = 0;
  for (const v of map.data) if (v > max) max = v;
  const out = new Float32Array(map.data.length);
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] = Math.max(0, map.data[i] as number) / max;
  return { data: out, height: map.height, width: map.width };
}
