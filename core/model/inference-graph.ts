/**
 * A model seen by the inference path: one input [N, H, W, C] float32 and named outputs read
 * in ONE forward pass. Names are the contract between a model and its readers:
 *
 *   logits    [N, labels]      the head's linear outputs (calibration works on them)
 *   features  [N, h, w, C]     the last spatial feature maps (CAM)
 *   embedding [N, C]           their global average (OOD), computed on the backend
 *
 * More outputs are added by name (e.g. intermediate feature maps for the OOD detector, or a
 * graph model's signature outputs): a reader asks for the names it needs and gets each as a
 * flat Float32Array with its shape; outputs nobody asked for are computed (the forward pass
 * needs them anyway) but not copied out of the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { oodOutputName, summarise, type OodLayerSpec } from './ood-features.ts';

export const LOGITS_OUTPUT = 'logits';
export const FEATURES_OUTPUT = 'features';
export const EMBEDDING_OUTPUT = 'embedding';

export interface NamedOutput {
  /** Row-major values of the whole batch. */
  data: Float32Array;
  /** [N, …]. */
  shape: number[];
}

/** One named output over `n` images from the outputs of consecutive batches (in order). */
export function concatOutputs(chunks: readonly NamedOutput[], n: number): NamedOutput {
  const data = new Float32Array(chunks.reduce((k, ch) => k + ch.data.length, 0));
  let offset = 0;
  for (const ch of chunks) {
    data.set(ch.data, offset);
    offset += ch.data.length;
  }
  return { data, shape: [n, ...(chunks[0]?.shape.slice(1) ?? [])] };
}

export interface InferenceGraph {
  /** Input of one image: [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  /** Output names this graph answers, with their shapes ([N, …], N as -1). */
  readonly outputs: ReadonlyMap<string, readonly number[]>;
  /** Names of the OOD feature outputs, in the order of the card's `ood.layers` (none when the graph has no taps). */
  readonly oodOutputs?: readonly string[];
  /** One forward pass over `n` inputs (concatenated, length n·H·W·C); returns the named outputs asked for. */
  run(batch: Float32Array, n: number, names: readonly string[]): Promise<Record<string, NamedOutput>>;
  dispose(): void;
}

/**
 * Wraps a layers model: `outputs` maps each output name to the layer whose output it is
 * (`embedding` is derived from `features` unless a layer is named for it); each of `ood` adds
 * the output `oodOutputName(summary, layer)`, that layer's activations summarised on the
 * backend in the same pass (core/model/ood-features.ts), listed in `oodOutputs` in that order.
 * The wrapper shares the model's weights (disposing the model disposes them).
 */
export function layersInferenceGraph(model: tfl.LayersModel, outputs: Readonly<Record<string, string>>, ood: readonly OodLayerSpec[] = []): InferenceGraph {
  const names = Object.keys(outputs);
  const layerOutput = (layerName: string, name: string): tfl.SymbolicTensor => {
    let layer: tfl.layers.Layer;
    try {
      layer = model.getLayer(layerName);
    } catch (error) {
      throw new RadLocalError('MODEL_LOAD_FAILED', `The model has no layer named "${layerName}" (output "${name}").`, { cause: error });
    }
    return layer.output as tfl.SymbolicTensor;
  };
  const symbolic = names.map((name) => layerOutput(outputs[name] as string, name));
  // Tapped layers not already among the outputs are read from the same multi-output model.
  const tapped = [...new Set(ood.map((o) => o.layer))].filter((layer) => !names.some((name) => outputs[name] === layer));
  const multi = tfl.model({ inputs: model.inputs, outputs: [...symbolic, ...tapped.map((layer) => layerOutput(layer, oodOutputName('channel-moments', layer)))] });
  const layerIndex = (layer: string): number => {
    const i = names.findIndex((name) => outputs[name] === layer);
    return i >= 0 ? i : names.length + tapped.indexOf(layer);
  };
  const pooledFrom = names.indexOf(FEATURES_OUTPUT);
  const shapes = new Map(names.map((name, i) => [name, (symbolic[i] as tfl.SymbolicTensor).shape.map((d) => d ?? -1)]));
  const featureShape = shapes.get(FEATURES_OUTPUT);
  if (featureShape && featureShape.length === 4 && !shapes.has(EMBEDDING_OUTPUT)) shapes.set(EMBEDDING_OUTPUT, [-1, featureShape[3] as number]);
  const summaries = new Map<string, OodLayerSpec>();
  for (const spec of ood) {
    const shape = (multi.outputs[layerIndex(spec.layer)] as tfl.SymbolicTensor).shape;
    if (shape.length !== 4) throw new RadLocalError('MODEL_LOAD_FAILED', `Expected the OOD layer "${spec.layer}" to output [N, h, w, C], but it outputs [${shape.join(', ')}].`);
    const name = oodOutputName(spec.summary, spec.layer);
    summaries.set(name, spec);
    shapes.set(name, [-1, 2 * (shape[3] as number)]);
  }
  const shape = model.inputs[0]?.shape ?? [];
  const inputShape = [shape[1], shape[2], shape[3]].map((d) => d ?? -1) as [number, number, number];
  return {
    inputShape,
    outputs: shapes,
    oodOutputs: [...summaries.keys()],
    async run(batch, n, wanted) {
      const [h, w, c] = inputShape;
      if (batch.length !== n * h * w * c) {
        throw new RadLocalError('MODEL_INPUT_MISMATCH', `Expected ${n} input(s) of ${h}×${w}×${c} (${n * h * w * c} values), but got ${batch.length} values.`);
      }
      for (const name of wanted) {
        if (!shapes.has(name)) throw new RadLocalError('INTERNAL', `The model has no output named "${name}" (it has ${[...shapes.keys()].join(', ')}).`);
      }
      // Only what was asked for leaves the tidy; the embedding and the OOD summaries are computed on the backend.
      const tensors = tf.tidy(() => {
        const result = multi.predict(tf.tensor4d(batch, [n, h, w, c], 'float32'));
        const all = Array.isArray(result) ? result : [result];
        return wanted.map((name) => {
          const index = names.indexOf(name);
          if (index >= 0) return all[index] as tf.Tensor;
          const spec = summaries.get(name);
          if (spec) return summarise(all[layerIndex(spec.layer)] as tf.Tensor4D, spec.summary);
          return tf.mean(all[pooledFrom] as tf.Tensor4D, [1, 2]); // the embedding (the only other output `shapes` lists)
        });
      });
      try {
        const out: Record<string, NamedOutput> = {};
        for (const [i, name] of wanted.entries()) {
          const t = tensors[i] as tf.Tensor;
          out[name] = { data: new Float32Array((await t.data()) as Float32Array), shape: [...t.shape] };
        }
        return out;
      } finally {
        for (const t of tensors) t.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
