/**
 * The ONE inference pipeline (DESIGN.md): decoded image → core/preprocess → model → logits,
 * pooled embedding and last feature maps → calibrated scores → positives → OOD verdict → CAM.
 * Used by `radlocal predict` / `radlocal evaluate` in Node and by the viewer's Web Worker.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DecodedImage } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { FitGeometry } from '../preprocess/fit-geometry.ts';
import { preprocessFrame } from '../preprocess/preprocess-frame.ts';
import { calibratedScores, positiveLabels } from './calibration.ts';
import { normaliseCam, rawCam, resizeBilinear, type CamMap, type FeatureMaps } from './cam.ts';
import type { LoadedModel } from './load-model.ts';
import { assessOod, type OodHeader, type OodResult } from './ood.ts';

export interface ModelOutputs {
  /** Logits, shape [n, labels] row-major. */
  logits: Float32Array;
  /** Global average of the last feature maps, shape [n, C] row-major. */
  embeddings: Float32Array;
  /** Last feature maps, shape [n, h, w, C], only when asked for. */
  features?: FeatureMaps[];
}

export interface Prediction {
  labels: string[];
  /** Calibrated probabilities sigmoid(logit / T) per label, in [0, 1]. */
  scores: Record<string, number>;
  logits: Record<string, number>;
  positives: string[];
  thresholds: Record<string, number>;
  ood: OodResult;
  /** Per label, [0, 1] maps of the model input's size (see `geometry` to place them on the image). */
  cam?: Record<string, CamMap>;
  geometry?: FitGeometry;
  timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number; totalMs: number };
  modelSha256: string;
}

export interface PredictOptions {
  frameIndex?: number;
  /** Compute class activation maps (default false). */
  cam?: boolean;
}

const now = (): number => globalThis.performance.now();

/**
 * Runs the model on a batch of preprocessed inputs.
 * @param batch n inputs of shape [H, W, 1] float32, concatenated (length n·H·W).
 */
export async function runModel(loaded: LoadedModel, batch: Float32Array, n: number, withFeatures = false): Promise<ModelOutputs> {
  const { height, width } = loaded.card.input;
  if (batch.length !== n * height * width) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `Expected ${n} input(s) of ${height}×${width}×1 (${n * height * width} values), but got ${batch.length} values.`,
    );
  }
  const [featuresT, logitsT, pooledT] = tf.tidy(() => {
    const x = tf.tensor4d(batch, [n, height, width, 1], 'float32');
    const [f, l] = loaded.inference.predict(x) as tf.Tensor[];
    return [f as tf.Tensor4D, l as tf.Tensor2D, tf.mean(f as tf.Tensor4D, [1, 2]) as tf.Tensor2D];
  });
  try {
    const logits = (await logitsT.data()) as Float32Array;
    const embeddings = (await pooledT.data()) as Float32Array;
    const out: ModelOutputs = { logits: new Float32Array(logits), embeddings: new Float32Array(embeddings) };
    if (withFeatures) {
      const [, h, w, c] = featuresT.shape;
      const all = (await featuresT.data()) as Float32Array;
      const size = h * w * c;
      out.features = Array.from({ length: n }, (_, i) => ({ data: all.slice(i * size, (i + 1) * size), height: h, width: w, channels: c }));
    }
    return out;
  } finally {
    featuresT.dispose();
    logitsT.dispose();
    pooledT.dispose();
  }
}

/** Post-processing of one image's model outputs: calibration, thresholds, OOD and CAM. */
export function postprocess(
  loaded: LoadedModel,
  logits: ArrayLike<number>,
  embedding: ArrayLike<number>,
  header: OodHeader | undefined,
  features?: FeatureMaps,
): Omit<Prediction, 'timings' | 'geometry'> {
  const { card } = loaded;
  const scores = calibratedScores(card, logits);
  const logitRecord: Record<string, number> = {};
  const thresholds: Record<string, number> = {};
  card.labels.forEach((label, i) => {
    logitRecord[label] = logits[i] as number;
    thresholds[label] = card.thresholds[label]?.threshold ?? 1;
  });
  const prediction: Omit<Prediction, 'timings' | 'geometry'> = {
    labels: [...card.labels],
    scores,
    logits: logitRecord,
    positives: positiveLabels(card, scores),
    thresholds,
    ood: assessOod(embedding, card.ood, header),
    modelSha256: loaded.modelSha256,
  };
  if (features) {
    const cam: Record<string, CamMap> = {};
    card.labels.forEach((label, i) => {
      const raw = rawCam(features, loaded.headKernel, card.labels.length, i);
      cam[label] = normaliseCam(resizeBilinear(raw, card.input.height, card.input.width));
    });
    prediction.cam = cam;
  }
  return prediction;
}

/** Predicts from an already preprocessed input of shape [H, W, 1]. */
export async function predictInput(
  loaded: LoadedModel,
  input: Float32Array,
  options: { header?: OodHeader; cam?: boolean } = {},
): Promise<Prediction> {
  const t0 = now();
  const outputs = await runModel(loaded, input, 1, options.cam === true);
  const t1 = now();
  const result = postprocess(loaded, outputs.logits, outputs.embeddings, options.header, outputs.features?.[0]);
  const t2 = now();
  return { ...result, timings: { preprocessMs: 0, inferenceMs: t1 - t0, postprocessMs: t2 - t1, totalMs: t2 - t0 } };
}

/** The full pipeline for one frame of a decoded DICOM / PNG / JPEG. */
export async function predictImage(loaded: LoadedModel, image: DecodedImage, options: PredictOptions = {}): Promise<Prediction> {
  const t0 = now();
  const input = preprocessFrame(image, options.frameIndex ?? 0, loaded.card.preprocessing);
  const t1 = now();
  const prediction = await predictInput(loaded, input.data, { header: image, cam: options.cam === true });
  return {
    ...prediction,
    geometry: input.geometry,
    timings: { ...prediction.timings, preprocessMs: t1 - t0, totalMs: prediction.timings.totalMs + (t1 - t0) },
  };
}
