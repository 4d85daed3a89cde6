/**
 * Loading a RadLocal model from its files — the same code in Node (`radlocal predict`,
 * `radlocal evaluate`) and in the browser worker. Order: parse the card (schema) → verify
 * every listed file's size and SHA-256 → build the tfjs model from the verified bytes
 * (`tf.io.fromMemory`, nothing fetched by tfjs itself) → check it against the card.
 * The caller chooses and initialises the tfjs backend before loading.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { FEATURES_OUTPUT, layersInferenceGraph, LOGITS_OUTPUT, type InferenceGraph } from './inference-graph.ts';
import { MODEL_CARD_FILE, parseModelCard, type ModelCard } from './model-card.ts';
import { readModelFiles, verifiedModelFiles, type ModelFileReader, type VerifiedModelFiles } from './model-files.ts';
import { weightArtifacts } from './weight-artifacts.ts';

export { weightArtifacts };

export interface LoadedModel {
  card: ModelCard;
  /** SHA-256 of the exact model-card.json bytes (see model-integrity.ts). */
  modelSha256: string;
  /** The Keras classifier: input [N, H, W, 1] float32 → logits [N, labels]. Layers-model cards only: a graph model's throws MODEL_LOAD_FAILED (use `graph`). */
  model: tfl.LayersModel;
  /** Same weights, named outputs read in one forward pass (logits, features, embedding; see inference-graph.ts). */
  graph: InferenceGraph;
  /** Dense head kernel, shape [C, labels] row-major (for CAM; for a graph model see graph-model.ts camKernel); the 1×1 kernel of a logit-map head. */
  headKernel: Float32Array;
  /** Bias per label of a logit-map head (card `architecture.head`): its heatmap is the map itself, kernel · features + bias. Absent for a dense head (CAM without the bias). */
  headBias?: Float32Array;
  featureChannels: number;
  dispose(): void;
}

function loadFailed(message: string, cause?: unknown): RadLocalError {
  return new RadLocalError('MODEL_LOAD_FAILED', message, cause === undefined ? undefined : { cause });
}

function isVerified(source: ReadonlyMap<string, Uint8Array> | VerifiedModelFiles): source is VerifiedModelFiles {
  return 'modelSha256' in source;
}

/**
 * Loads a model from a map of its files (relative path → bytes; `model-card.json` must be in
 * it), or from files `readModelFiles` already verified — then the card is
 * neither parsed nor hashed again (the browser worker builds the model once per backend it tries).
 * @throws RadLocalError MODEL_CARD_INVALID, MODEL_INTEGRITY_MISMATCH, MODEL_LOAD_FAILED, MODEL_INPUT_MISMATCH.
 */
export async function loadModel(source: ReadonlyMap<string, Uint8Array> | VerifiedModelFiles): Promise<LoadedModel> {
  let checked: VerifiedModelFiles;
  if (isVerified(source)) checked = source;
  else {
    const cardBytes = source.get(MODEL_CARD_FILE);
    if (!cardBytes) throw new RadLocalError('MODEL_CARD_INVALID', `Expected a ${MODEL_CARD_FILE} in the model folder, but there is none.`);
    checked = await verifiedModelFiles(parseModelCard(cardBytes), cardBytes, source);
  }
  const { card, modelSha256: sha, files } = checked;
  if (card.architecture.format === 'graph-model') {
    // tfjs-converter (graph models only) loads when a card asks for it: a layers model's start-up does not parse it.
    const { assembleGraphLoadedModel } = await import('./graph-model.ts');
    return assembleGraphLoadedModel(card, sha, files);
  }

  const model = await buildLayersModel(files, card.architecture.modelFile);
  try {
    return assembleLoadedModel(card, sha, model);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Builds the tfjs layers model from its files (model JSON + weight shards, paths relative to
 * the model folder), without reading a card: nothing is fetched by tfjs itself.
 * @throws RadLocalError MODEL_LOAD_FAILED.
 */
export async function buildLayersModel(files: ReadonlyMap<string, Uint8Array>, modelFile: string): Promise<tfl.LayersModel> {
  const dir = modelFile.includes('/') ? modelFile.slice(0, modelFile.lastIndexOf('/') + 1) : '';
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(files.get(modelFile))) as tf.io.ModelJSON;
  } catch (error) {
    throw loadFailed(`The model file "${modelFile}" is not valid JSON: ${(error as Error).message}.`, error);
  }
  if (typeof modelJson !== 'object' || modelJson === null || !modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw loadFailed(`Expected "${modelFile}" to be a TensorFlow.js layers model (modelTopology + weightsManifest), but it is not.`);
  }
  const { weightSpecs, weightData } = weightArtifacts(modelJson, files, dir);
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw loadFailed(`TensorFlow.js could not build the model from "${modelFile}": ${(error as Error).message}.`, error);
  }
}

/** Reads the card, then every file it lists, then loads. Use with fetch (browser) or fs (Node). */
export async function loadModelFrom(read: ModelFileReader): Promise<LoadedModel> {
  return loadModel(await readModelFiles(read));
}

/** Checks the model against the card and builds its inference graph (logits, feature maps, the card's OOD taps). */
export function assembleLoadedModel(card: ModelCard, sha: string, model: tfl.LayersModel): LoadedModel {
  const inputShape = model.inputs[0]?.shape ?? [];
  const expected = [null, card.input.height, card.input.width, card.input.channels];
  if (model.inputs.length !== 1 || inputShape.length !== 4 || inputShape.some((d, i) => i > 0 && d !== expected[i])) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      `The model card declares an input of [N, ${card.input.height}, ${card.input.width}, ${card.input.channels}], but the model takes [${inputShape.map((d) => d ?? 'N').join(', ')}].`,
    );
  }
  const { head } = card.architecture;
  let featureLayer: tfl.layers.Layer;
  let logitsLayer: tfl.layers.Layer;
  let headLayer: tfl.layers.Layer;
  try {
    featureLayer = model.getLayer(card.architecture.featureLayer);
    logitsLayer = model.getLayer(card.architecture.logitsLayer);
    headLayer = head ? model.getLayer(head.mapLayer) : logitsLayer;
  } catch (error) {
    const names = [card.architecture.featureLayer, card.architecture.logitsLayer, ...(head ? [head.mapLayer] : [])].map((n) => `"${n}"`).join(', ');
    throw loadFailed(`The model lacks one of the layers its card names (${names}).`, error);
  }
  const featureOutput = featureLayer.output as tfl.SymbolicTensor;
  const logitsOutput = logitsLayer.output as tfl.SymbolicTensor;
  const featureShape = featureOutput.shape;
  const channels = featureShape[3];
  if (featureShape.length !== 4 || typeof channels !== 'number') {
    throw loadFailed(`Expected the feature layer "${featureLayer.name}" to output [N, h, w, C], but it outputs [${featureShape.join(', ')}].`);
  }
  const weights = headLayer.getWeights();
  const kernel = weights[0];
  const labels = card.labels.length;
  // A dense head's kernel is [C, labels]; a logit map's 1×1 convolution kernel [1, 1, C, labels] (the same numbers).
  const kernelShape = kernel?.shape ?? [];
  const expectedShape = head ? [1, 1, channels, labels] : [channels, labels];
  if (kernelShape.join() !== expectedShape.join() || logitsOutput.shape.length !== 2 || logitsOutput.shape[1] !== labels) {
    throw new RadLocalError(
      'MODEL_INPUT_MISMATCH',
      head
        ? `Expected the logit-map layer "${headLayer.name}" to map ${channels} feature channels to ${labels} labels (${card.labels.join(', ')}) with a 1×1 kernel, and "${logitsLayer.name}" to output [N, ${labels}], but the kernel is [${kernelShape.join(', ') || 'none'}].`
        : `Expected the logits layer "${logitsLayer.name}" to map ${channels} pooled features to ${labels} labels (${card.labels.join(', ')}), but its kernel is [${kernelShape.join(', ') || 'none'}].`,
    );
  }
  const headKernel = (kernel as tf.Tensor).dataSync() as Float32Array;
  const bias = head ? weights[1] : undefined;
  if (head && bias?.shape.join() !== String(labels)) {
    throw new RadLocalError('MODEL_INPUT_MISMATCH', `Expected the logit-map layer "${headLayer.name}" to have one bias per label (${labels}), but it has [${bias?.shape.join(', ') ?? 'none'}].`);
  }
  const graph = layersInferenceGraph(model, { [FEATURES_OUTPUT]: featureLayer.name, [LOGITS_OUTPUT]: logitsLayer.name }, card.ood.layers);
  return {
    card,
    modelSha256: sha,
    model,
    graph,
    headKernel: new Float32Array(headKernel),
    ...(bias ? { headBias: new Float32Array(bias.dataSync() as Float32Array) } : {}),
    featureChannels: channels,
    dispose: () => model.dispose(),
  };
}
