/**
 * The one inference path, for `radlocal predict` / `evaluate` / the HTML report, training's
 * validation and card fitting, and the viewer's Web Worker:
 *
 *   decoded image → core/preprocess → forward (one pass of the model's InferenceGraph, in
 *   batches: logits, pooled embedding, feature maps, or any other named output) →
 *   postprocess (calibrated scores → positives → OOD verdict → CAM).
 *
 * `forward` is the raw pass (training uses it before a card exists); `predictBatch` adds the
 * card's post-processing; `predictImage` is the whole path for one decoded frame.
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import type { FitGeometry } from '../preprocess/fit-geometry.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { preprocessFrame, type PreprocessedInput } from '../preprocess/preprocess-frame.ts';
import { calibratedScores, positiveLabels } from './calibration.ts';
import { normaliseCam, rawCam, resizeBilinear, type CamMap, type FeatureMaps } from './cam.ts';
import { concatOutputs, EMBEDDING_OUTPUT, FEATURES_OUTPUT, LOGITS_OUTPUT, type InferenceGraph, type NamedOutput } from './inference-graph.ts';
import type { LoadedModel } from './load-model.ts';
import { assessOod, type OodHeader, type OodResult } from './ood.ts';

/** Images per forward pass unless the caller says otherwise. */
export const INFERENCE_BATCH_SIZE = 64;

export interface ModelOutputs {
  /** Logits, shape [n, labels] row-major. */
  logits: Float32Array;
  /** Global average of the last feature maps, shape [n, C] row-major. */
  embeddings: Float32Array;
  /** Last feature maps, shape [n, h, w, C], only when asked for. */
  features?: FeatureMaps[];
  /** Further named outputs asked for (`extra`), each [n, …] over the whole batch. */
  extra?: Record<string, NamedOutput>;
  /** Per image, the OOD summary vectors in the graph's `oodOutputs` order (empty when it has none). */
  oodFeatures: Float32Array[][];
}

export interface ForwardOptions {
  /** Also return the last feature maps (for CAM). */
  features?: boolean;
  /** Further named outputs of the graph to return (see InferenceGraph). */
  extra?: readonly string[];
  /** Images per forward pass (default INFERENCE_BATCH_SIZE). */
  batchSize?: number;
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

/** One image's result of predictBatch: the prediction plus the raw outputs the card stage and reports read. */
export interface BatchPrediction extends Omit<Prediction, 'timings' | 'geometry'> {
  /** Raw logits in card label order. */
  logitValues: Float32Array;
  /** Pooled embedding (global average of the last feature maps). */
  embedding: Float32Array;
  /** The OOD summary vectors (card `ood.layers` order). */
  oodFeatures: Float32Array[];
}

export interface PredictOptions {
  frameIndex?: number;
  /** Compute class activation maps (default false). */
  cam?: boolean;
}

const now = (): number => globalThis.performance.now();

function rowsOf(output: NamedOutput | undefined, n: number): number {
  return output ? output.data.length / n : 0;
}

/**
 * One forward pass per batch of `batchSize` over n preprocessed inputs (concatenated, length
 * n·H·W·C): logits and pooled embeddings, and the feature maps / named outputs asked for.
 */
export async function forward(graph: InferenceGraph, inputs: Float32Array, n: number, options: ForwardOptions = {}): Promise<ModelOutputs> {
  const batchSize = options.batchSize ?? INFERENCE_BATCH_SIZE;
  const [h, w, c] = graph.inputShape;
  const perImage = h * w * c;
  const oodNames = graph.oodOutputs ?? [];
  const names = [...new Set([LOGITS_OUTPUT, EMBEDDING_OUTPUT, ...(options.features ? [FEATURES_OUTPUT] : []), ...oodNames, ...(options.extra ?? [])])];
  const parts: Record<string, NamedOutput>[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(await graph.run(inputs.subarray(start * perImage, (start + size) * perImage), size, names));
  }
  const joined = (name: string): NamedOutput => concatOutputs(parts.map((p) => p[name] as NamedOutput), n);
  const ood = oodNames.map((name) => joined(name));
  const oodFeatures = Array.from({ length: n }, (_, i) => ood.map((o) => o.data.slice(i * rowsOf(o, n), (i + 1) * rowsOf(o, n))));
  const out: ModelOutputs = { logits: joined(LOGITS_OUTPUT).data, embeddings: joined(EMBEDDING_OUTPUT).data, oodFeatures };
  if (options.features) {
    const all = joined(FEATURES_OUTPUT);
    const [, fh, fw, fc] = all.shape as [number, number, number, number];
    const size = rowsOf(all, n);
    out.features = Array.from({ length: n }, (_, i) => ({ data: all.data.slice(i * size, (i + 1) * size), height: fh, width: fw, channels: fc }));
  }
  if (options.extra && options.extra.length > 0) out.extra = Object.fromEntries(options.extra.map((name) => [name, joined(name)]));
  return out;
}

/**
 * The card's prediction for n preprocessed inputs, batched: calibrated scores, positives, the
 * OOD verdict (with each image's DICOM header when given), the raw logits and embedding, and
 * CAM maps when asked.
 */
export async function predictBatch(
  loaded: LoadedModel,
  inputs: Float32Array,
  n: number,
  options: { headers?: readonly (OodHeader | undefined)[]; cam?: boolean; batchSize?: number } = {},
): Promise<BatchPrediction[]> {
  const outputs = await forward(loaded.graph, inputs, n, { features: options.cam === true, ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  const L = loaded.card.labels.length;
  const C = outputs.embeddings.length / Math.max(1, n);
  return Array.from({ length: n }, (_, i) => {
    const logitValues = outputs.logits.slice(i * L, (i + 1) * L);
    const embedding = outputs.embeddings.slice(i * C, (i + 1) * C);
    const oodFeatures = outputs.oodFeatures[i] as Float32Array[];
    return { ...postprocess(loaded, logitValues, oodFeatures, options.headers?.[i], outputs.features?.[i]), logitValues, embedding, oodFeatures };
  });
}

/** Post-processing of one image's model outputs: calibration, thresholds, OOD (from its tapped-layer summaries) and CAM. */
export function postprocess(
  loaded: LoadedModel,
  logits: ArrayLike<number>,
  oodFeatures: readonly ArrayLike<number>[],
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
    ood: assessOod(oodFeatures, card.ood, header),
    modelSha256: loaded.modelSha256,
  };
  // A model whose card says it has no heatmap (architecture.graph.cam.kind 'none') gets none, not an empty map.
  if (features && card.architecture.graph?.cam.kind !== 'none') {
    const cam: Record<string, CamMap> = {};
    card.labels.forEach((label, i) => {
      const raw = rawCam(features, loaded.headKernel, card.labels.length, i, loaded.headBias);
      cam[label] = normaliseCam(resizeBilinear(raw, card.input.height, card.input.width));
    });
    prediction.cam = cam;
  }
  return prediction;
}

/** The full path for one frame of a decoded DICOM / PNG / JPEG. */
export async function predictImage(loaded: LoadedModel, image: DecodedImage, options: PredictOptions = {}): Promise<Prediction> {
  const t0 = now();
  const input = preprocessFrame(image, options.frameIndex ?? 0, loaded.card.preprocessing);
  return predictPreprocessed(loaded, input, image, { cam: options.cam === true, preprocessMs: now() - t0 });
}

/**
 * The path after preprocessing, for a model input computed elsewhere with this model's card
 * (the viewer preprocesses in its decode workers, so only the input travels to the model).
 * @param header the image's DICOM header values, for the OOD header check.
 * @param options.preprocessMs how long preprocessing took, reported in the timings.
 * @throws RadLocalError MODEL_INPUT_MISMATCH when the input's size is not the card's.
 */
export async function predictPreprocessed(
  loaded: LoadedModel,
  input: Pick<PreprocessedInput, 'data' | 'height' | 'width' | 'channels' | 'geometry'>,
  header: OodHeader | undefined,
  options: { cam?: boolean; preprocessMs?: number } = {},
): Promise<Prediction> {
  const { height, width, channels } = loaded.card.input;
  if (input.height !== height || input.width !== width || input.channels !== channels || input.data.length !== height * width * channels) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `The model takes ${height}×${width}×${channels} inputs, but this one is ${input.height}×${input.width}×${input.channels} (${input.data.length} values): it was preprocessed for another model.`,
    );
  }
  const preprocessMs = options.preprocessMs ?? 0;
  const t1 = now();
  const outputs = await forward(loaded.graph, input.data, 1, { features: options.cam === true });
  const t2 = now();
  const result = postprocess(loaded, outputs.logits, outputs.oodFeatures[0] as Float32Array[], header, outputs.features?.[0]);
  const t3 = now();
  return { ...result, geometry: input.geometry, timings: { preprocessMs, inferenceMs: t2 - t1, postprocessMs: t3 - t2, totalMs: preprocessMs + (t3 - t1) } };
}
