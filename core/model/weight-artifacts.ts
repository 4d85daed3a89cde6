/**
 * The weights of a TensorFlow.js model (layers or graph) from its verified files: the shards
 * named by model.json's manifest, concatenated in manifest order, for tf.io.fromMemory.
 */
import { concatBytes } from '../bytes/concat-bytes.ts';
import type * as tf from '@tensorflow/tfjs-core';
import { RadLocalError } from '../errors/radlocal-error.ts';

/**
 * @param files keyed by `dir` + the manifest's path.
 * @throws RadLocalError MODEL_LOAD_FAILED naming a missing shard.
 */
export function weightArtifacts(
  modelJson: Pick<tf.io.ModelJSON, 'weightsManifest'>,
  files: ReadonlyMap<string, Uint8Array>,
  dir = '',
): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      const bytes = files.get(dir + path);
      if (!bytes) throw new RadLocalError('MODEL_LOAD_FAILED', `The weight file "${dir + path}" named in model.json is not among the model files.`);
      shards.push(bytes);
    }
  }
  return { weightSpecs: specs, weightData: concatBytes(shards).buffer };
}
