/**
 * `radlocal import-model` without the command line: wraps a TensorFlow.js model trained
 * elsewhere — a layers model (Keras → tensorflowjs_converter) or a graph model (SavedModel,
 * e.g. PyTorch → ONNX → TensorFlow → tensorflowjs_converter) — into a RadLocal model folder,
 * so it enters the viewer through the same contract as a model RadLocal trained. Three steps,
 * like training:
 *
 *   get the model: read model.json + shards → inspect (input, head, logits vs probabilities,
 *     feature maps) → expose logits (layers: sigmoid head → linear; graph: the Sigmoid's
 *     input node, prepare-graph-model.ts) → the card's labels from the model's outputs;
 *   fit its card (training/src/card): split the labelled images by patient into a
 *     calibration part and a held-out part, run them through core/model's inference path,
 *     fit temperatures, thresholds and OOD statistics on the calibration part, metrics on both;
 *   write the folder (files + card with hashes), then reload it through the core loader to prove it.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { isGraphModelJson, type GraphModelJson } from '../../../core/model/graph-def.ts';
import type { GraphInspection } from '../../../core/model/graph-inspect.ts';
import { FEATURES_OUTPUT, layersInferenceGraph, LOGITS_OUTPUT, type InferenceGraph } from '../../../core/model/inference-graph.ts';
import { defaultOodLayers, type OodLayerSpec } from '../../../core/model/ood-features.ts';
import { weightArtifacts } from '../../../core/model/load-model.ts';
import { MODEL_CARD_SCHEMA_VERSION, type ModelCard } from '../../../core/model/model-card.ts';
import { sha256Hex } from '../../../core/model/sha256.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from '../../../core/preprocess/params.ts';
import { validatePreprocessParams } from '../../../core/preprocess/preprocess-frame.ts';
import { fitCard, type CardBase } from '../card/fit-card.ts';
import type { OutputSet } from '../card/output-set.ts';
import type { ExampleRef } from '../data/dataset-types.ts';
import { openDataset } from '../data/open-dataset.ts';
import { runExamples, type ExampleOutput } from '../eval/predict-examples.ts';
import { loadModelFolder, writeModelFolder } from '../export/model-folder.ts';
import { inspectExternalModel, linearizeLayerActivation, type ExternalModelLayout, type OutputKind } from './inspect-external-model.ts';
import { prepareGraphImport, type GraphImportOptions } from './prepare-graph-model.ts';

export const IMPORTED_MODEL_FILE = 'model.json';

export interface ImportModelOptions {
  /** Folder with the converter's model.json and weight shards. */
  from: string;
  labels: string[];
  out: string;
  /** Labelled images (any layout openDataset reads) for calibration and evaluation. */
  data: string;
  /** Model name in the card (default: the output folder's name). */
  name?: string;
  /** Required when the model accepts any input size; must match a fixed one. */
  inputSize?: { height: number; width: number };
  /** Preprocessing overrides (normalisation, VOI, fit) merged over the defaults. */
  preprocessing?: Partial<PreprocessParams>;
  /** Declared output kind; 'auto' trusts the detection from the last layers. */
  outputs?: OutputKind | 'auto';
  targetSensitivity?: number;
  /** Fraction of patients held out for the card's test metrics (default 0.5; 0 reports metrics on the calibration images). */
  holdout?: number;
  seed?: number;
  batchSize?: number;
  skipBad?: boolean;
  intendedUse?: string;
  trainingSource?: string;
  command?: string;
  backend: string;
  onInfo?: (message: string) => void;
  /** Graph models only (see prepare-graph-model.ts and docs/import-model.md). */
  graph?: Omit<GraphImportOptions, 'labels' | 'preprocessing' | 'inputSize'>;
}

export interface ImportResult {
  card: ModelCard;
  modelSha256: string;
  format: 'layers-model' | 'graph-model';
  /** Layers models: what the inspection found. */
  layout?: ExternalModelLayout;
  /** Graph models: what the inspection found. */
  graph?: GraphInspection;
  /** Output columns not imported (graph models with more outputs than labels). */
  ignoredOutputs: string[];
  calibrationImages: number;
  holdoutImages: number;
}

interface ExternalFiles {
  modelJson: tf.io.ModelJSON;
  /** Set when model.json is a graph model. */
  graphJson?: GraphModelJson;
  /** The original model.json bytes. */
  text: Uint8Array;
  /** Weight shards by their manifest path. */
  shards: Map<string, Uint8Array>;
  originalSha256: string;
}

async function readExternalModel(dir: string): Promise<ExternalFiles> {
  let text: Uint8Array;
  try {
    text = new Uint8Array(await readFile(join(dir, 'model.json')));
  } catch (error) {
    throw new RadLocalError('MODEL_LOAD_FAILED', `Expected a TensorFlow.js model.json in ${dir}, but it could not be read (${(error as Error).message}).`, { cause: error });
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(text)) as tf.io.ModelJSON;
  } catch (error) {
    throw new RadLocalError('MODEL_LOAD_FAILED', `The model.json in ${dir} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  const graphJson = isGraphModelJson(modelJson) ? (modelJson as unknown as GraphModelJson) : undefined;
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new RadLocalError('MODEL_LOAD_FAILED', `Expected model.json in ${dir} to hold modelTopology and weightsManifest (a layers model), but it does not.`);
  }
  const shards = new Map<string, Uint8Array>();
  for (const group of modelJson.weightsManifest) {
    for (const path of group.paths) {
      try {
        shards.set(path, new Uint8Array(await readFile(join(dir, path))));
      } catch (error) {
        throw new RadLocalError('MODEL_LOAD_FAILED', `The weight file "${path}" named in ${dir}/model.json could not be read (${(error as Error).message}).`, { cause: error });
      }
    }
  }
  return { modelJson, ...(graphJson ? { graphJson } : {}), text, shards, originalSha256: await sha256Hex(text) };
}

async function buildModel(modelJson: tf.io.ModelJSON, shards: Map<string, Uint8Array>): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, ...weightArtifacts(modelJson, shards) }));
  } catch (error) {
    throw new RadLocalError('MODEL_LOAD_FAILED', `TensorFlow.js could not build the imported model: ${(error as Error).message}.`, { cause: error });
  }
}

function resolveInputSize(layout: ExternalModelLayout, requested: ImportModelOptions['inputSize']): { height: number; width: number } {
  const height = layout.inputHeight ?? requested?.height;
  const width = layout.inputWidth ?? requested?.width;
  if (height === undefined || width === undefined) {
    throw new RadLocalError('CLI_USAGE', 'The model accepts any input size: say which one it was trained at with --input-size (e.g. 224 or 256x320).');
  }
  if (requested && (requested.height !== height || requested.width !== width)) {
    throw new RadLocalError('MODEL_INPUT_MISMATCH', `--input-size ${requested.height}x${requested.width} does not match the model's fixed input ${height}x${width}.`);
  }
  return { height, width };
}

/** A model ready for the card stage, whichever format it came in. */
interface ModelToImport {
  format: 'layers-model' | 'graph-model';
  /** The card's labels (for a graph model, mapped from its outputs). */
  labels: string[];
  input: ModelCard['input'];
  preprocessing: PreprocessParams;
  architecture: ModelCard['architecture'];
  weightsDtype: 'float32' | 'float16';
  /** core/model's inference graph over the card's labels, with the OOD detector's taps. */
  graph: InferenceGraph;
  oodLayers: OodLayerSpec[];
  /** The files to write next to the card. */
  files: Map<string, Uint8Array>;
  layout?: ExternalModelLayout;
  inspection?: GraphInspection;
  ignoredOutputs: string[];
  dispose(): void;
}

/** Keras layers model: inspect the head, turn a sigmoid head into logits, tap the resolutions. */
async function layersToImport(external: ExternalFiles, o: ImportModelOptions, info: (m: string) => void): Promise<ModelToImport> {
  const probe = await buildModel(external.modelJson, external.shards);
  let layout: ExternalModelLayout;
  try {
    layout = inspectExternalModel(probe, o.labels);
  } finally {
    probe.dispose();
  }
  if (o.outputs && o.outputs !== 'auto' && o.outputs !== layout.outputs) {
    throw new RadLocalError('MODEL_INPUT_MISMATCH', `--outputs ${o.outputs} was declared, but the model's last layers produce ${layout.outputs}.`);
  }
  info(`model: outputs ${layout.outputs} from ${layout.head ? `the logit map "${layout.head.mapLayer}" pooled by max + mean in` : 'dense'} "${layout.logitsLayer}", feature maps "${layout.featureLayer}" (${layout.featureChannels} channels)`);
  if (layout.sigmoidInHead) {
    linearizeLayerActivation(external.modelJson as { modelTopology?: unknown }, layout.logitsLayer);
    info(`model: the sigmoid of "${layout.logitsLayer}" is removed so the card's temperature calibration works on logits`);
  }
  const { height, width } = resolveInputSize(layout, o.inputSize);
  const preprocessing = validatePreprocessParams({ ...DEFAULT_PREPROCESS_PARAMS, ...o.preprocessing, height, width });
  const files = new Map<string, Uint8Array>([[IMPORTED_MODEL_FILE, new TextEncoder().encode(JSON.stringify(external.modelJson))], ...external.shards]);
  const model = await buildModel(external.modelJson, external.shards);
  const quantized = external.modelJson.weightsManifest.flatMap((g) => g.weights).every((w) => w.quantization?.dtype === 'float16');
  const weightsDtype = quantized ? 'float16' : 'float32';
  // The model as core/model's inference path reads it, with the input the card will declare.
  const oodLayers = defaultOodLayers(model, undefined, layout.featureLayer);
  return {
    format: 'layers-model',
    labels: [...o.labels],
    input: { height, width, channels: 1, dtype: 'float32' },
    preprocessing,
    architecture: {
      name: `imported:${String((external.modelJson.modelTopology as { config?: { name?: unknown } }).config?.name ?? 'layers-model')}`,
      format: 'layers-model',
      modelFile: IMPORTED_MODEL_FILE,
      featureLayer: layout.featureLayer,
      logitsLayer: layout.logitsLayer,
      ...(layout.head ? { head: layout.head } : {}),
      parameters: model.countParams(),
      weightsDtype,
      options: {
        importedWith: 'radlocal import-model',
        originalOutputs: layout.outputs,
        sigmoidRemoved: layout.sigmoidInHead,
        originalModelJsonSha256: external.originalSha256,
        ...(external.modelJson.convertedBy ? { convertedBy: String(external.modelJson.convertedBy) } : {}),
        ...(external.modelJson.generatedBy ? { generatedBy: String(external.modelJson.generatedBy) } : {}),
      },
    },
    weightsDtype,
    graph: layersInferenceGraph(model, { [FEATURES_OUTPUT]: layout.featureLayer, [LOGITS_OUTPUT]: layout.logitsLayer }, oodLayers),
    oodLayers,
    files,
    layout,
    ignoredOutputs: [],
    dispose: () => model.dispose(),
  };
}

/** Graph model (SavedModel → tensorflowjs_converter): see prepare-graph-model.ts. */
async function graphToImport(external: ExternalFiles, json: GraphModelJson, o: ImportModelOptions, info: (m: string) => void): Promise<ModelToImport> {
  const files = new Map<string, Uint8Array>([[IMPORTED_MODEL_FILE, external.text], ...external.shards]);
  const prepared = await prepareGraphImport(json, files, external.originalSha256, {
    ...o.graph,
    labels: o.labels,
    ...(o.outputs && o.outputs !== 'auto' ? { outputs: o.outputs } : {}),
    ...(o.inputSize ? { inputSize: o.inputSize } : {}),
    ...(o.preprocessing ? { preprocessing: o.preprocessing } : {}),
  });
  for (const note of prepared.notes) info(`model: ${note}`);
  return {
    format: 'graph-model',
    labels: prepared.labels,
    input: prepared.input,
    preprocessing: prepared.preprocessing,
    architecture: prepared.architecture,
    weightsDtype: prepared.architecture.weightsDtype,
    graph: prepared.graph,
    oodLayers: prepared.oodLayers,
    files,
    inspection: prepared.inspection,
    ignoredOutputs: prepared.ignored,
    dispose: prepared.dispose,
  };
}

export async function importExternalModel(o: ImportModelOptions): Promise<ImportResult> {
  const started = Date.now();
  const info = o.onInfo ?? (() => undefined);
  const seed = o.seed ?? 0;
  const holdout = o.holdout ?? 0.5;
  if (!(holdout >= 0 && holdout < 1)) throw new RadLocalError('CLI_USAGE', `Expected --holdout in [0, 1), but got ${holdout}.`);

  const external = await readExternalModel(o.from);
  const m = external.graphJson ? await graphToImport(external, external.graphJson, o, info) : await layersToImport(external, o, info);
  const { labels, preprocessing, oodLayers, files, weightsDtype } = m;
  const { height, width } = m.input;

  try {
    const dataset = openDataset(o.data, { labels, seed, skipBad: o.skipBad ?? false, splitFractions: { train: 0, val: 1 - holdout, test: holdout } });
    const calibrationRefs: ExampleRef[] = [...dataset.splits.train, ...dataset.splits.val];
    const holdoutRefs = dataset.splits.test;
    // The card's name rule: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit.
    const name = o.name ?? (resolve(o.out).split(/[\\/]/).pop() ?? 'imported').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
    // The card names the data folder, never its absolute path (the card travels; paths can be private).
    const dataName = basename(dataset.root);
    const reader = { graph: m.graph, card: { labels, input: { height, width }, preprocessing } };
    info(`images: ${calibrationRefs.length} for calibration, ${holdoutRefs.length} held out (patient-level split of ${dataset.root}, seed ${seed})`);
    const calibration = await runExamples(reader, calibrationRefs, { batchSize: o.batchSize, skipBad: o.skipBad });
    const held = await runExamples(reader, holdoutRefs, { batchSize: o.batchSize, skipBad: o.skipBad });
    if (calibration.outputs.length < 2) throw new RadLocalError('DATASET_INVALID', `Expected at least 2 readable calibration images in ${o.data}, but got ${calibration.outputs.length}.`);

    const cam = m.architecture.graph?.cam;
    const base: CardBase = {
      schemaVersion: MODEL_CARD_SCHEMA_VERSION,
      name,
      version: '1.0.0',
      createdAt: new Date().toISOString(),
      labels: [...labels],
      input: m.input,
      preprocessing,
      architecture: m.architecture,
      trainingData: {
        source: o.trainingSource ?? 'External: trained outside RadLocal (not described by the importer).',
        synthetic: false,
        counts: { train: 0, val: calibration.outputs.length, test: held.outputs.length },
        prevalence: Object.fromEntries(labels.map((l, j) => [l, calibration.outputs.filter((x) => x.ref.labels[j] === 1).length / calibration.outputs.length])),
      },
      training: {
        command: o.command ?? 'radlocal import-model',
        seed,
        epochs: 0,
        bestEpoch: 0,
        batchSize: o.batchSize ?? 32,
        backend: o.backend,
        // set when the folder is written
        durationSeconds: 0,
        positiveWeights: Object.fromEntries(labels.map((l) => [l, 1])),
        augmentation: 'unknown (trained outside RadLocal)',
        history: [],
      },
      quantization: { dtype: weightsDtype },
      software: { radlocal: '0.1.0', tfjs: tf.version_core, node: process.version, backend: o.backend },
      intendedUse: o.intendedUse ?? 'Research use of an externally trained model through the RadLocal viewer; not a medical device.',
      limitations: [
        'Not a medical device: not validated for clinical use.',
        'Trained outside RadLocal: the training data, augmentation and training history are not recorded in this card; "prevalence" is that of the calibration images.',
        `Temperatures, operating thresholds (target sensitivity ${o.targetSensitivity ?? 0.9}) and out-of-distribution statistics were fitted by radlocal import-model on ${calibration.outputs.length} images of ${dataName}.`,
        ...(cam && cam.kind !== 'class-activation'
          ? [`Heatmap: ${cam.kind === 'none' ? 'none' : 'where the network responds, the same map for every finding — not a per-finding class activation map'} (${cam.reason ?? 'see architecture.graph.cam'}).`]
          : []),
      ],
    };
    const asSet = (outputs: readonly ExampleOutput[]): OutputSet => ({
      logits: outputs.map((x) => x.logits),
      oodFeatures: outputs.map((x) => x.oodFeatures),
      truth: outputs.map((x) => x.ref.labels),
      headers: outputs.map((x) => x.header),
    });
    // OOD: statistics from every other calibration image, z-scoring and the threshold from the rest.
    const summaries = calibration.outputs.map((x) => x.oodFeatures);
    const fitPart = summaries.length >= 20 ? summaries.filter((_, i) => i % 2 === 0) : summaries;
    const thresholdPart = summaries.length >= 20 ? summaries.filter((_, i) => i % 2 === 1) : summaries;
    const draft = await fitCard({
      base,
      calibration: { outputs: asSet(calibration.outputs), fittedOn: `${calibration.outputs.length} images of ${dataName} (calibration part)`, ...(o.targetSensitivity !== undefined ? { targetSensitivity: o.targetSensitivity } : {}) },
      ood: {
        layers: oodLayers,
        fit: fitPart,
        fittedOn: `${fitPart.length} calibration images of ${dataName}`,
        threshold: thresholdPart,
        thresholdedOn: `${thresholdPart.length} other calibration images of ${dataName}${summaries.length >= 20 ? '' : ' (the same images: too few to hold any out)'}`,
        headers: calibration.outputs.map((x) => x.header),
      },
      metrics: {
        validation: { split: 'calibration part', outputs: asSet(calibration.outputs) },
        test:
          held.outputs.length > 0
            ? { split: `held-out part of ${dataName} (${held.outputs.length} images)`, outputs: asSet(held.outputs) }
            : { split: 'calibration images (no hold-out: optimistic)', outputs: asSet(calibration.outputs) },
      },
      seed,
    });
    draft.training = { ...draft.training, durationSeconds: (Date.now() - started) / 1000 };
    const { card } = await writeModelFolder(o.out, draft, files);
    info(`wrote ${o.out}: ${card.files.length} files hashed, card validated`);
    // Proof: the folder loads through the same loader the viewer uses (hashes, schema, layers).
    const reloaded = await loadModelFolder(o.out);
    const modelSha256 = reloaded.modelSha256;
    reloaded.dispose();
    return {
      card,
      modelSha256,
      format: m.format,
      ...(m.layout ? { layout: m.layout } : {}),
      ...(m.inspection ? { graph: m.inspection } : {}),
      ignoredOutputs: m.ignoredOutputs,
      calibrationImages: calibration.outputs.length,
      holdoutImages: held.outputs.length,
    };
  } finally {
    m.dispose();
  }
}
