/**
 * TensorFlow.js graph models (tensorflowjs_converter from a SavedModel — Keras, or PyTorch via
 * ONNX) in the inference path: loaded from the model folder's verified bytes through an
 * in-memory IO handler (tfjs fetches nothing, the same SHA-256 check as layers models), run
 * as an InferenceGraph with the named outputs the rest of RadLocal reads:
 *
 *   logits    [N, labels]   the card's labels, picked from the model's output columns
 *   features  [N, h, w, C]  the chosen 4-D activation, NHWC whatever the graph's layout
 *   embedding [N, C]        its global average (OOD)
 *
 * all read in ONE forward pass (GraphModel.execute with several node names).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { DEFAULT_INPUT_ADAPTER, inputShapeOf, type InputAdapter } from '../preprocess/input-adapter.ts';
import { dimsOf, GraphIndex, parseGraphModelJson, type GraphModelJson } from './graph-def.ts';
import type { GraphModelSpec } from './graph-spec.ts';
import { concatOutputs, EMBEDDING_OUTPUT, FEATURES_OUTPUT, LOGITS_OUTPUT, type InferenceGraph, type NamedOutput } from './inference-graph.ts';
import { oodOutputName, summarise, type OodLayerSpec } from './ood-features.ts';
import type { LoadedModel } from './load-model.ts';
import type { ModelCard } from './model-card.ts';
import { weightArtifacts } from './weight-artifacts.ts';

function loadFailed(message: string, cause?: unknown): RadLocalError {
  return new RadLocalError('MODEL_LOAD_FAILED', message, cause === undefined ? undefined : { cause });
}

/**
 * Builds the tfjs GraphModel from model.json and its (already verified) weight files.
 * @param files relative path → bytes; the shards are looked up as `dir` + manifest path.
 */
export async function loadGraphModelFromMemory(json: GraphModelJson, files: ReadonlyMap<string, Uint8Array>, dir: string, where: string): Promise<GraphModel> {
  const { weightSpecs, weightData } = weightArtifacts(json as unknown as tf.io.ModelJSON, files, dir);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as tf.io.ModelArtifacts['signature'],
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    modelInitializer: json.modelInitializer as tf.io.ModelArtifacts['modelInitializer'],
  };
  try {
    return await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw loadFailed(`TensorFlow.js could not build the graph model from "${where}": ${(error as Error).message}.`, error);
  }
}

/** Runs the graph once for the given node names (synchronous executor; the async one for control-flow graphs). */
export async function executeNodes(model: GraphModel, inputNode: string, x: tf.Tensor, nodes: readonly string[]): Promise<tf.Tensor[]> {
  const feeds = { [inputNode]: x };
  let result: tf.Tensor | tf.Tensor[];
  try {
    result = model.execute(feeds, [...nodes]);
  } catch (error) {
    if (!/executeAsync/.test((error as Error).message)) throw error;
    result = await model.executeAsync(feeds, [...nodes]);
  }
  return Array.isArray(result) ? result : [result];
}

/**
 * The dense head's kernel restricted to the card's labels, [C, labels] row-major, as CAM reads
 * it: the graph's kernel for `class-activation`, the identity when the logits are the pooled
 * features, 1/C everywhere for `feature-energy` (the channel mean); undefined for `none`.
 */
export function camKernel(model: GraphModel, spec: GraphModelSpec, channels: number): Float32Array | undefined {
  const labels = spec.outputColumns.length;
  const kernel = new Float32Array(channels * labels);
  if (spec.cam.kind === 'none') return undefined;
  if (spec.cam.kind === 'feature-energy') return kernel.fill(1 / channels);
  if (!spec.cam.kernelNode) {
    if (channels !== spec.outputCount) throw loadFailed(`Expected the pooled features (${channels} channels) to be the ${spec.outputCount} logits, as the card says.`);
    spec.outputColumns.forEach((column, l) => (kernel[column * labels + l] = 1));
    return kernel;
  }
  const weight = model.weights[spec.cam.kernelNode]?.[0];
  const [rows, cols] = spec.cam.kernelTransposed ? [spec.outputCount, channels] : [channels, spec.outputCount];
  if (!weight || weight.shape.length !== 2 || weight.shape[0] !== rows || weight.shape[1] !== cols) {
    throw loadFailed(`Expected the head kernel "${spec.cam.kernelNode}" of shape [${rows}, ${cols}], but the graph has [${weight?.shape.join(', ') ?? 'none'}].`);
  }
  const w = weight.dataSync() as Float32Array;
  for (let k = 0; k < channels; k++) {
    spec.outputColumns.forEach((column, l) => {
      kernel[k * labels + l] = w[spec.cam.kernelTransposed ? column * channels + k : k * spec.outputCount + column] as number;
    });
  }
  return kernel;
}

/**
 * Wraps a loaded graph model as the inference path's InferenceGraph.
 * @param adapter layout and channels of the input the preprocessing writes (`run` takes that layout).
 * @param ood the OOD detector's taps (node names; layouts from `spec.nodeLayouts`), each read in
 *   the same pass and summarised on the backend as output `oodOutputName(summary, node)`.
 */
export function graphInferenceGraph(
  model: GraphModel,
  spec: GraphModelSpec,
  adapter: InputAdapter,
  height: number,
  width: number,
  ood: readonly OodLayerSpec[] = [],
): InferenceGraph & { readonly oodOutputs: readonly string[] } {
  const perImage = inputShapeOf(adapter, height, width);
  const size = perImage[0] * perImage[1] * perImage[2];
  const outputs = new Map<string, number[]>([[LOGITS_OUTPUT, [-1, spec.outputColumns.length]]]);
  if (spec.featureNode && spec.featureShape) {
    const [h, w, c] = spec.featureShape;
    outputs.set(FEATURES_OUTPUT, [-1, h, w, c]);
    outputs.set(EMBEDDING_OUTPUT, [-1, c]);
  }
  const taps = [...new Set(ood.map((o) => o.layer))];
  const oodNames = ood.map((o) => oodOutputName(o.summary, o.layer));
  for (const o of ood) outputs.set(oodOutputName(o.summary, o.layer), [-1, -1]);
  const columns = tf.tensor1d(spec.outputColumns, 'int32');
  const nhwc = (t: tf.Tensor, layout: 'nhwc' | 'nchw' | undefined): tf.Tensor4D => {
    if (t.rank !== 4) throw loadFailed(`Expected a 4-D activation [N, h, w, C], but got [${t.shape.join(', ')}].`);
    return (layout === 'nchw' ? tf.transpose(t, [0, 2, 3, 1]) : t) as tf.Tensor4D;
  };

  /** One forward pass over exactly `count` images. */
  async function forward(batch: Float32Array, count: number, wanted: readonly string[]): Promise<Record<string, NamedOutput>> {
    const needFeatures = spec.featureNode !== null && (wanted.includes(FEATURES_OUTPUT) || wanted.includes(EMBEDDING_OUTPUT));
    const wantedTaps = ood.filter((o) => wanted.includes(oodOutputName(o.summary, o.layer)));
    const tapNodes = taps.filter((node) => wantedTaps.some((o) => o.layer === node));
    const nodes = [spec.logitsNode, ...(needFeatures ? [spec.featureNode as string] : []), ...tapNodes];
    const x = tf.tensor(batch, [count, ...perImage], 'float32');
    let raw: tf.Tensor[] = [];
    try {
      raw = await executeNodes(model, spec.inputNode, x, nodes);
    } finally {
      x.dispose();
    }
    const named = tf.tidy(() => {
      const out: Record<string, tf.Tensor> = {};
      const modelOut = raw[0] as tf.Tensor;
      if (modelOut.rank !== 2) throw loadFailed(`Expected the output "${spec.logitsNode}" to be [N, ${spec.outputCount}], but it is [${modelOut.shape.join(', ')}].`);
      let picked = tf.gather(modelOut, columns, 1);
      if (spec.logitsFrom === 'probabilities') {
        const p = tf.clipByValue(picked, 1e-7, 1 - 1e-7);
        picked = tf.sub(tf.log(p), tf.log1p(tf.neg(p)));
      }
      out[LOGITS_OUTPUT] = picked;
      if (needFeatures) {
        const f = raw[1] as tf.Tensor4D;
        const maps = spec.featureLayout === 'nchw' ? nhwc(f, 'nchw') : tf.clone(f); // raw tensors are disposed below
        out[FEATURES_OUTPUT] = maps;
        out[EMBEDDING_OUTPUT] = tf.mean(maps, [1, 2]);
      }
      const firstTap = needFeatures ? 2 : 1;
      for (const o of wantedTaps) {
        const activation = raw[firstTap + tapNodes.indexOf(o.layer)] as tf.Tensor;
        out[oodOutputName(o.summary, o.layer)] = summarise(nhwc(activation, spec.nodeLayouts?.[o.layer]), o.summary);
      }
      return out;
    });
    for (const t of raw) t.dispose();
    try {
      const result: Record<string, NamedOutput> = {};
      for (const name of wanted) {
        const t = named[name];
        if (!t) throw new RadLocalError('INTERNAL', `The model has no output named "${name}" (it has ${[...outputs.keys()].join(', ')}).`);
        result[name] = { data: new Float32Array((await t.data()) as Float32Array), shape: [...t.shape] };
      }
      return result;
    } finally {
      for (const t of Object.values(named)) t.dispose();
    }
  }

  const wrapper: InferenceGraph & { readonly oodOutputs: readonly string[] } = {
    inputShape: [height, width, adapter.channels],
    outputs,
    oodOutputs: oodNames,
    async run(batch, n, wanted) {
      if (batch.length !== n * size) {
        throw new RadLocalError('MODEL_INPUT_MISMATCH', `Expected ${n} input(s) of ${perImage.join('×')} (${n * size} values), but got ${batch.length} values.`);
      }
      const step = spec.batchSize ?? n;
      if (step === n) return forward(batch, n, wanted);
      // A batch size fixed by the export: run in chunks of it, the last one padded with zeros.
      const parts: Record<string, NamedOutput>[] = [];
      for (let start = 0; start < n; start += step) {
        const count = Math.min(step, n - start);
        const chunk = new Float32Array(step * size);
        chunk.set(batch.subarray(start * size, (start + count) * size));
        const out = await forward(chunk, step, wanted);
        for (const o of Object.values(out)) {
          const per = o.data.length / step;
          o.data = o.data.slice(0, count * per);
          o.shape = [count, ...o.shape.slice(1)];
        }
        parts.push(out);
      }
      return Object.fromEntries(wanted.map((name) => [name, concatOutputs(parts.map((p) => p[name] as NamedOutput), n)]));
    },
    dispose: () => {
      columns.dispose();
      model.dispose();
    },
  };
  return wrapper;
}

/**
 * The LoadedModel of a graph-model card (files already verified against it): builds the graph,
 * checks its input against the card, wraps it as the inference graph and reads the CAM kernel.
 * @throws RadLocalError MODEL_LOAD_FAILED, MODEL_INPUT_MISMATCH.
 */
export async function assembleGraphLoadedModel(card: ModelCard, sha: string, files: ReadonlyMap<string, Uint8Array>): Promise<LoadedModel> {
  const spec = card.architecture.graph;
  if (!spec) throw loadFailed('The model card says "graph-model" but has no graph section.');
  const modelFile = card.architecture.modelFile;
  const dir = modelFile.includes('/') ? modelFile.slice(0, modelFile.lastIndexOf('/') + 1) : '';
  const json = parseGraphModelJson(files.get(modelFile) ?? new Uint8Array(), modelFile);
  const adapter = card.preprocessing.adapter ?? DEFAULT_INPUT_ADAPTER;
  const { height, width } = card.input;
  const expected = inputShapeOf(adapter, height, width);
  const dims = dimsOf(new GraphIndex(json).get(spec.inputNode)?.attr?.shape?.shape);
  if (!dims || dims.length !== 4 || dims.slice(1).some((d, i) => d > 0 && d !== expected[i])) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `The model card declares an input of [N, ${expected.join(', ')}] (${adapter.layout.toUpperCase()}) at "${spec.inputNode}", but the graph has [${dims?.join(', ') ?? 'no such input'}].`,
    );
  }
  const model = await loadGraphModelFromMemory(json, files, dir, modelFile);
  try {
    const channels = spec.featureShape?.[2] ?? 0;
    const headKernel = camKernel(model, spec, channels) ?? new Float32Array(channels * card.labels.length);
    // The OOD detector's taps, when the card's OOD section names them (cards with the multi-layer detector).
    const taps = (card.ood as { layers?: readonly OodLayerSpec[] }).layers ?? [];
    const graph = graphInferenceGraph(model, spec, adapter, height, width, taps);
    return {
      card,
      modelSha256: sha,
      get model(): never {
        throw loadFailed('This is a TensorFlow.js graph model: it has no Keras layers model; read it through its inference graph.');
      },
      graph,
      headKernel,
      featureChannels: channels,
      dispose: () => graph.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
