/**
 * Serialises a tfjs layers model into the files of a model folder: `model.json` (topology +
 * weights manifest) and one weight shard, optionally quantised to float16.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { encodeFloat16 } from './float16.ts';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export type WeightsDtype = 'float32' | 'float16';

/** @return path → bytes for model.json and the weight shard. */
export async function serializeModel(model: tfl.LayersModel, dtype: WeightsDtype = 'float32'): Promise<Map<string, Uint8Array>> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightSpecs || captured.weightData === undefined || !captured.modelTopology) {
    throw new RadLocalError('INTERNAL', 'Expected TensorFlow.js to hand over the model topology and weights when saving, but it did not.');
  }
  const joined = new Uint8Array(tf.io.CompositeArrayBuffer.join(captured.weightData));
  let specs = captured.weightSpecs;
  let weightBytes: Uint8Array = joined;
  if (dtype === 'float16') {
    if (specs.some((s) => s.dtype !== 'float32')) throw new RadLocalError('INTERNAL', 'Expected only float32 weights to quantise to float16.');
    weightBytes = new Uint8Array(encodeFloat16(new Float32Array(joined.buffer, joined.byteOffset, joined.byteLength / 4)).buffer);
    specs = specs.map((s) => ({ ...s, quantization: { dtype: 'float16' as const } }));
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: captured.modelTopology,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_core}`,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  return new Map([
    [MODEL_JSON, new TextEncoder().encode(JSON.stringify(modelJson))],
    [WEIGHTS_FILE, weightBytes],
  ]);
}
