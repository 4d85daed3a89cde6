/**
 * The graph-model half of `radlocal import-model`: from a converter's graph model (SavedModel →
 * tensorflowjs_converter, e.g. PyTorch → ONNX → TensorFlow) to what the card stage needs —
 * the inference graph over the card's labels, the input adapter, the OOD taps and the card's
 * architecture section. The model.json and shards are kept byte for byte: RadLocal reads the
 * logits from a node of the graph, it never edits it.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { GraphModelJson } from '../../../core/model/graph-def.ts';
import { graphOodTaps, inspectGraphModel, type GraphInspection, type GraphInspectOptions } from '../../../core/model/graph-inspect.ts';
import { graphInferenceGraph, loadGraphModelFromMemory } from '../../../core/model/graph-model.ts';
import type { GraphModelSpec } from '../../../core/model/graph-spec.ts';
import type { InferenceGraph } from '../../../core/model/inference-graph.ts';
import type { ModelCard } from '../../../core/model/model-card.ts';
import type { OodLayerSpec } from '../../../core/model/ood-features.ts';
import type { IntensityMapping } from '../../../core/preprocess/input-adapter.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from '../../../core/preprocess/params.ts';
import { validatePreprocessParams } from '../../../core/preprocess/preprocess-frame.ts';
import { mapOutputLabels } from './output-labels.ts';

export interface GraphImportOptions extends GraphInspectOptions {
  /** `--labels`: RadLocal names, or NAME=COLUMN pairs (output-labels.ts). */
  labels: string[];
  /** `--output-labels`: the model's own names of its output columns. */
  outputLabels?: string[];
  /** How grey [0, 1] maps to the model's intensities (default: the preprocessing's scalar mean/std). */
  intensity?: IntensityMapping;
  /** Preprocessing overrides (VOI, fit, pad, …). */
  preprocessing?: Partial<PreprocessParams>;
  /** 'none' leaves the heatmap out (the card says so); default: what the head allows. */
  heatmap?: 'auto' | 'none';
}

export interface PreparedGraphImport {
  labels: string[];
  /** Output columns not imported (by the model's names when known). */
  ignored: string[];
  inspection: GraphInspection;
  spec: GraphModelSpec;
  oodLayers: OodLayerSpec[];
  preprocessing: PreprocessParams;
  input: ModelCard['input'];
  architecture: ModelCard['architecture'];
  /** The inference graph over the card's labels, with the OOD taps. */
  graph: InferenceGraph;
  notes: string[];
  dispose(): void;
}

const MODEL_FILE = 'model.json';

function parameterCount(json: GraphModelJson): { parameters: number; weightsDtype: 'float32' | 'float16' } {
  const weights = json.weightsManifest.flatMap((g) => g.weights).filter((w) => w.dtype === 'float32');
  const parameters = weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const half = weights.length > 0 && weights.every((w) => (w as tf.io.WeightsManifestEntry).quantization?.dtype === 'float16');
  return { parameters, weightsDtype: half ? 'float16' : 'float32' };
}

/**
 * @param files model.json and the shards, keyed by their paths relative to the model folder.
 * @throws RadLocalError MODEL_SIGNATURE_MISSING, MODEL_OUTPUT_UNSUPPORTED, MODEL_INPUT_MISMATCH, MODEL_LOAD_FAILED, CLI_USAGE.
 */
export async function prepareGraphImport(json: GraphModelJson, files: ReadonlyMap<string, Uint8Array>, originalSha256: string, o: GraphImportOptions): Promise<PreparedGraphImport> {
  const model: GraphModel = await loadGraphModelFromMemory(json, files, '', MODEL_FILE);
  try {
    const inspection = await inspectGraphModel(json, model, o);
    const { input } = inspection;
    if (!inspection.spec.featureNode) {
      throw new RadLocalError(
        'MODEL_OUTPUT_UNSUPPORTED',
        'No spatial feature map was found between the input and the findings output, so RadLocal cannot fit its out-of-distribution check. Name a 4-D activation with --feature-node.',
      );
    }
    const mapping = mapOutputLabels(o.labels, o.outputLabels, inspection.spec.outputCount);
    const taps = await graphOodTaps(json, model, inspection);
    const cam: GraphModelSpec['cam'] = o.heatmap === 'none' ? { kind: 'none', reason: 'switched off at import (--heatmap none)' } : inspection.spec.cam;
    const spec: GraphModelSpec = { ...inspection.spec, cam, nodeLayouts: taps.nodeLayouts, outputColumns: mapping.columns };
    const intensity = o.intensity;
    const preprocessing = validatePreprocessParams({
      ...DEFAULT_PREPROCESS_PARAMS,
      ...o.preprocessing,
      ...(intensity ? { mean: 0, std: 1 } : {}),
      height: input.height,
      width: input.width,
      adapter: { layout: input.layout, channels: input.channels, ...(intensity ? { intensity } : {}) },
    });
    const { parameters, weightsDtype } = parameterCount(json);
    const architecture: ModelCard['architecture'] = {
      name: `imported:graph-model${json.convertedBy ? ` (${String(json.convertedBy)})` : ''}`,
      format: 'graph-model',
      modelFile: MODEL_FILE,
      featureLayer: spec.featureNode as string,
      logitsLayer: spec.logitsNode,
      parameters,
      weightsDtype,
      options: {
        importedWith: 'radlocal import-model',
        originalOutputs: inspection.output.kind,
        outputNode: inspection.output.node,
        originalModelJsonSha256: originalSha256,
        ...(json.generatedBy ? { generatedBy: String(json.generatedBy) } : {}),
        ...(json.convertedBy ? { convertedBy: String(json.convertedBy) } : {}),
        ...(mapping.ignored.length > 0 ? { ignoredOutputs: mapping.ignored.join(', ') } : {}),
      },
      graph: spec,
    };
    const graph = graphInferenceGraph(model, spec, preprocessing.adapter ?? { layout: input.layout, channels: input.channels }, input.height, input.width, taps.layers);
    const notes = [...inspection.notes, `labels: ${mapping.labels.map((l, i) => `${l} ← output ${o.outputLabels?.[mapping.columns[i] as number] ?? `#${mapping.columns[i]}`}`).join(', ')}`];
    if (mapping.ignored.length > 0) notes.push(`outputs not imported: ${mapping.ignored.join(', ')}`);
    notes.push(`OOD taps: ${taps.layers.map((l) => `${l.layer} (${l.summary})`).join(', ')}`);
    return {
      labels: mapping.labels,
      ignored: mapping.ignored,
      inspection,
      spec,
      oodLayers: taps.layers,
      preprocessing,
      input: { height: input.height, width: input.width, channels: input.channels, dtype: 'float32' },
      architecture,
      graph,
      notes,
      dispose: () => graph.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
