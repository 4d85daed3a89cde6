/**
 * Runs a loaded model over dataset examples through the same core functions the browser
 * worker uses: decode (core/image, via the data module's decoder) → preprocessFrame
 * (core/preprocess) → forward (core/model, batched) → postprocess (calibration,
 * thresholds, OOD with the DICOM header). Nothing here re-implements a pipeline step.
 */
import { readFile } from 'node:fs/promises';
import { RadLocalError, toSerializedError, type SerializedError } from '../../../core/errors/radlocal-error.ts';
import type { InferenceGraph } from '../../../core/model/inference-graph.ts';
import type { LoadedModel } from '../../../core/model/load-model.ts';
import type { ModelCard } from '../../../core/model/model-card.ts';
import type { OodHeader } from '../../../core/model/ood.ts';
import { forward, postprocess, type Prediction } from '../../../core/model/predict.ts';
import { preprocessFrame } from '../../../core/preprocess/preprocess-frame.ts';
import type { ExampleRef } from '../data/dataset-types.ts';
import { badFilesError } from '../data/open-dataset.ts';
import { projectDecoder, type DecodeFn } from '../data/decode-example.ts';

export interface ExampleOutput {
  ref: ExampleRef;
  /** Raw logits, one per card label. */
  logits: Float32Array;
  /** Pooled embedding (global average of the last feature maps). */
  embedding: Float32Array;
  /** OOD summary vectors, one per tapped layer (the graph's `oodOutputs` order). */
  oodFeatures: Float32Array[];
  header: OodHeader;
}

export interface PredictExamplesOptions {
  batchSize?: number;
  /** Leave unreadable images out (reported in `bad`) instead of failing with DATASET_BAD_FILES. */
  skipBad?: boolean;
  decode?: DecodeFn;
  /** Called after each batch with the number of examples done. */
  onProgress?: (done: number, total: number) => void;
}

/** What runExamples reads of a model: its inference graph and the card's input, preprocessing and labels (a loaded model has them). */
export interface ExampleModel {
  graph: InferenceGraph;
  card: { labels: readonly string[]; input: { height: number; width: number }; preprocessing: ModelCard['preprocessing'] };
}

/** Model outputs (logits, embedding) and header of every readable example, in input order. */
export async function runExamples(
  loaded: ExampleModel,
  refs: readonly ExampleRef[],
  options: PredictExamplesOptions = {},
): Promise<{ outputs: ExampleOutput[]; bad: { path: string; error: SerializedError }[] }> {
  const batchSize = options.batchSize ?? 32;
  const decode = options.decode ?? (await projectDecoder());
  const { height, width } = loaded.card.input;
  const labels = loaded.card.labels.length;
  const outputs: ExampleOutput[] = [];
  const bad: { path: string; error: SerializedError }[] = [];
  for (let start = 0; start < refs.length; start += batchSize) {
    const chunk = refs.slice(start, start + batchSize);
    const inputs: Float32Array[] = [];
    const kept: { ref: ExampleRef; header: OodHeader }[] = [];
    for (const ref of chunk) {
      try {
        const image = await decode(new Uint8Array(await readFile(ref.path)));
        inputs.push(preprocessFrame(image, 0, loaded.card.preprocessing).data);
        kept.push({ ref, header: { source: image.source, modality: image.modality, bodyPartExamined: image.bodyPartExamined, photometricInterpretation: image.photometricInterpretation } });
      } catch (error) {
        bad.push({ path: ref.path, error: toSerializedError(error) });
      }
    }
    if (bad.length > 0 && !options.skipBad) throw badFilesError(bad.map((b) => b.path), `readable (${bad[0]?.error.code}: ${bad[0]?.error.message})`);
    if (kept.length === 0) continue;
    const perImage = inputs[0]?.length ?? height * width; // H·W·channels (the card's input adapter)
    const batch = new Float32Array(kept.length * perImage);
    inputs.forEach((input, i) => batch.set(input, i * perImage));
    const result = await forward(loaded.graph, batch, kept.length, { batchSize });
    const embeddingSize = result.embeddings.length / kept.length;
    kept.forEach(({ ref, header }, i) => {
      outputs.push({
        ref,
        header,
        logits: result.logits.slice(i * labels, (i + 1) * labels),
        embedding: result.embeddings.slice(i * embeddingSize, (i + 1) * embeddingSize),
        oodFeatures: result.oodFeatures[i] as Float32Array[],
      });
    });
    options.onProgress?.(Math.min(start + batchSize, refs.length), refs.length);
  }
  return { outputs, bad };
}

/** The card's post-processing (calibrated scores, positives, OOD verdict) of one example's outputs. */
export function postprocessExample(loaded: LoadedModel, output: ExampleOutput): Omit<Prediction, 'timings' | 'geometry'> {
  if (output.logits.length !== loaded.card.labels.length) {
    throw new RadLocalError('INTERNAL', `Expected ${loaded.card.labels.length} logits, but got ${output.logits.length}.`);
  }
  return postprocess(loaded, output.logits, output.oodFeatures, output.header);
}
