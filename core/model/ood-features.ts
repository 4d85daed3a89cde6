/**
 * Feature taps for the out-of-distribution check: a few intermediate activations of the
 * classifier, read in the SAME forward pass as the logits (extra outputs of the one inference
 * graph over the same weights) and summarised on the backend, so only a few hundred numbers
 * per image leave it:
 *
 *   channel-moments    per channel, the spatial mean and standard deviation → [n, 2C]
 *   top-bottom-means   per channel, the mean over the top half and over the bottom half → [n, 2C]
 *                      (the layout: which way up the image is)
 *
 * Early taps see texture, noise and intensity statistics (where synthetic and real images
 * differ most), late taps see anatomy; the pooled embedding alone sees only what the
 * findings need. Which layers and summaries a model uses is in its card (`ood.layers`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { OodLevel, OodSummary } from './ood-schema.ts';

export interface OodLayerSpec {
  layer: string;
  summary: OodSummary;
  level: OodLevel;
}

/** The named graph output carrying one OOD feature vector, e.g. "ood:channel-moments:stem_relu". */
export function oodOutputName(summary: OodSummary, layer: string): string {
  return `ood:${summary}:${layer}`;
}

/**
 * Per-channel spatial mean and standard deviation.
 * @param x activations, shape [n, h, w, C]. @return shape [n, 2C]: means then standard deviations.
 */
export function channelMoments(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2]);
    return tf.concat([mean, tf.sqrt(tf.relu(variance))], 1) as tf.Tensor2D;
  });
}

/**
 * Per-channel means over the top and the bottom half of the rows (an odd middle row is left out).
 * @param x activations, shape [n, h, w, C]. @return shape [n, 2C]: top means then bottom means.
 */
export function topBottomMeans(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const half = Math.floor(h / 2);
    const top = tf.mean(tf.slice(x, [0, 0, 0, 0], [n, half, w, c]), [1, 2]);
    const bottom = tf.mean(tf.slice(x, [0, h - half, 0, 0], [n, half, w, c]), [1, 2]);
    return tf.concat([top, bottom], 1) as tf.Tensor2D;
  });
}

export function summarise(x: tf.Tensor4D, summary: OodSummary): tf.Tensor2D {
  return summary === 'channel-moments' ? channelMoments(x) : topBottomMeans(x);
}

/** Name of a RadLocal classifier's last feature maps; the taps stop there (what follows is the head, e.g. a per-label logit map). */
export const FEATURE_MAPS_LAYER = 'features';

/**
 * The layers worth tapping, from the input side: the last layer at each spatial resolution
 * (its output [N, h, w, C] just before the network halves the resolution), excluding the
 * input itself and anything after `lastLayer` (the last feature maps, default FEATURE_MAPS_LAYER;
 * what follows is the head). With `count` given, the deepest `count` of them.
 */
export function resolutionTapLayers(model: tfl.LayersModel, count?: number, lastLayer: string = FEATURE_MAPS_LAYER): string[] {
  const byResolution = new Map<string, string>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const shape = (layer.output as tfl.SymbolicTensor).shape;
    if (shape.length === 4) byResolution.set(`${shape[1]}x${shape[2]}`, layer.name);
    if (layer.name === lastLayer) break;
  }
  const layers = [...byResolution.values()];
  return count === undefined ? layers : layers.slice(Math.max(0, layers.length - count));
}

/**
 * The detector's layers for a model: channel moments of every resolution tap (the first sees
 * texture, the last anatomy, the rest local structures) and the last tap's top/bottom means
 * (when it has at least two rows).
 */
export function defaultOodLayers(model: tfl.LayersModel, count = 5, lastLayer: string = FEATURE_MAPS_LAYER): OodLayerSpec[] {
  const taps = resolutionTapLayers(model, count, lastLayer);
  const last = taps[taps.length - 1];
  const moments = taps.map((layer, i): OodLayerSpec => ({
    layer,
    summary: 'channel-moments',
    level: i === 0 && taps.length > 1 ? 'texture' : i === taps.length - 1 ? 'anatomy' : 'structure',
  }));
  if (last === undefined) return [];
  const rows = (model.getLayer(last).output as tfl.SymbolicTensor).shape[1] ?? 0;
  return rows >= 2 ? [...moments, { layer: last, summary: 'top-bottom-means', level: 'layout' }] : moments;
}

