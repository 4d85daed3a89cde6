/**
 * The model pipeline end to end in memory: export → load through core/model (hashes first)
 * → predictions identical to the in-memory model; float16 drift; a hand-set GAP + dense model
 * whose CAM and OOD distance are computed by hand, and a hand-set logit-map model (card v3
 * `architecture.head`) whose logits and heatmap are its map; tampered weights refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCard } from './helpers/example-card.ts';
import { loadModel } from '../core/model/load-model.ts';
import { MODEL_CARD_FILE, type ModelCard } from '../core/model/model-card.ts';
import { sha256Hex } from '../core/model/sha256.ts';
import { packLower } from '../core/model/ood.ts';
import { defaultOodLayers } from '../core/model/ood-features.ts';
import { forward, predictBatch } from '../core/model/predict.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { cardBytes, fileEntries } from '../training/src/export/model-folder.ts';
import { serializeModel, WEIGHTS_FILE } from '../training/src/export/serialize-model.ts';
import { classifierCardLayers, createClassifier, resolveClassifierOptions } from '../training/src/model/create-model.ts';
import { expectTypedError } from './typed-error-code.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Model files + a card for them (example card with the given input size and OOD dimension). */
async function folderFor(model: tfl.LayersModel, size: number, dtype: 'float32' | 'float16' = 'float32', edit?: (c: ModelCard) => void) {
  const files = await serializeModel(model, dtype);
  const card = exampleCard();
  card.input = { ...card.input, height: size, width: size };
  card.preprocessing = { ...card.preprocessing, height: size, width: size };
  edit?.(card);
  card.files = await fileEntries(files);
  const bytes = cardBytes(card);
  return { files: new Map([...files, [MODEL_CARD_FILE, bytes]]), bytes };
}

/** Logits straight from tfjs-layers (model.predict), the reference core/model's forward pass must reproduce. */
function predictLogits(model: tfl.LayersModel, x: Float32Array, n: number, size: number, labels: number): Float32Array {
  const out = tf.tidy(() => (model.predict(tf.tensor4d(x, [n, size, size, 1])) as tf.Tensor).dataSync() as Float32Array);
  expect(out.length).toBe(n * labels);
  return out;
}

function randomInputs(n: number, size: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([n * size * size], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

describe('export → load round trip', () => {
  const size = 16;
  let model: tfl.LayersModel;
  const options = resolveClassifierOptions({ inputSize: size, labels: ['nodule', 'effusion'], width: 4, seed: 3 });
  beforeAll(() => {
    model = createClassifier(options);
  });
  /** The classifier's head (default: logit map) and identity OOD statistics for its tapped layers (sizes 2C). */
  const setOod = (c: ModelCard) => {
    c.architecture = { ...c.architecture, ...classifierCardLayers(options) };
    c.ood = {
      ...c.ood,
      layers: defaultOodLayers(model).map((spec) => {
        const d = 2 * ((model.getLayer(spec.layer).outputShape as number[])[3] as number);
        return { ...spec, size: d, mean: new Array<number>(d).fill(0), choleskyPacked: Array.from(packLower(Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)), d)), shrinkage: 0, reference: { mean: 0, std: 1 } };
      }),
    };
  };

  it('gives bit-identical logits through core/model, and modelSha256 is the card bytes hash', async () => {
    const x = randomInputs(5, size, 11);
    const direct = predictLogits(model, x, 5, size, 2);
    const { files, bytes } = await folderFor(model, size, 'float32', setOod);
    const loaded = await loadModel(files);
    const out = await forward(loaded.graph, x, 5);
    expect(Array.from(out.logits)).toEqual(Array.from(direct));
    expect(out.embeddings.length).toBe(5 * 24);
    // The OOD summaries come from the same pass: per image, per tapped layer, 2C values.
    expect(out.oodFeatures).toHaveLength(5);
    expect(out.oodFeatures[0]!.map((v) => v.length)).toEqual([8, 16, 32, 48]);
    expect(loaded.modelSha256).toBe(await sha256Hex(bytes));
    loaded.dispose();
  });

  it('float16 weights change scores by less than 1e-2 and decode to the float16-rounded weights', async () => {
    const x = randomInputs(4, size, 12);
    const { files } = await folderFor(model, size, 'float16', setOod);
    expect(files.get(WEIGHTS_FILE)!.byteLength * 2).toBe((await serializeModel(model)).get(WEIGHTS_FILE)!.byteLength);
    const loaded = await loadModel(files);
    const direct = predictLogits(model, x, 4, size, 2);
    const out = await forward(loaded.graph, x, 4);
    const drift = Math.max(...Array.from(out.logits, (v, i) => Math.abs(1 / (1 + Math.exp(-v)) - 1 / (1 + Math.exp(-(direct[i] as number))))));
    expect(drift).toBeLessThan(1e-2);
    expect(drift).toBeGreaterThan(0);
    loaded.dispose();
  });

  it('refuses a model whose weights were altered, naming the file', async () => {
    const { files } = await folderFor(model, size, 'float32', setOod);
    const weights = new Uint8Array(files.get(WEIGHTS_FILE)!);
    weights[100] = (weights[100]! + 1) % 256;
    files.set(WEIGHTS_FILE, weights);
    await expectTypedError(loadModel(files), 'MODEL_INTEGRITY_MISMATCH', WEIGHTS_FILE);
  });

  it('refuses a card whose input size does not match the model', async () => {
    const { files } = await folderFor(model, size, 'float32', (c) => {
      setOod(c);
      c.input = { ...c.input, height: 32, width: 32 };
      c.preprocessing = { ...c.preprocessing, height: 32, width: 32 };
    });
    await expectTypedError(loadModel(files), 'MODEL_INPUT_MISMATCH');
  });
});

describe('hand-set GAP + dense model', () => {
  // input [8, 8, 1] → 1×1 conv "features" (2 channels: ReLU(x), ReLU(−x)) → GAP → dense "logits".
  const size = 8;
  function handModel(): tfl.LayersModel {
    const input = tfl.input({ shape: [size, size, 1] });
    const features = tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'features' }).apply(input) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(features) as tfl.SymbolicTensor;
    const logits = tfl.layers.dense({ units: 2, name: 'logits' }).apply(pooled) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: logits });
    model.getLayer('features').setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2]), tf.tensor1d([0, 0])]);
    // w[k][c]: label 0 = 2·A0 − 1·A1 + 0.5 ; label 1 = −1·A0 + 3·A1 − 0.25
    model.getLayer('logits').setWeights([tf.tensor2d([2, -1, -1, 3], [2, 2]), tf.tensor1d([0.5, -0.25])]);
    return model;
  }

  it('computes logits, calibrated scores, OOD distance and an exact CAM as by hand', async () => {
    // Left half +1, right half −2: A0 = 1 on the left, A1 = 2 on the right.
    const x = new Float32Array(size * size).map((_, i) => (i % size < size / 2 ? 1 : -2));
    const { files } = await folderFor(handModel(), size, 'float32', (c) => {
      // One tapped layer, "features": channel moments (mean A0, mean A1, sd A0, sd A1) = (0.5, 1, 0.5, 1),
      // L2-normalised by √2.5; identity·2 Cholesky, mean (0.5, 0.5, 0.5, 0.5)/√2.5.
      const m = 0.5 / Math.sqrt(2.5);
      c.ood = {
        ...c.ood,
        layers: [{ layer: 'features', summary: 'channel-moments', level: 'anatomy', size: 4, mean: [m, m, m, m], choleskyPacked: [2, 0, 2, 0, 0, 2, 0, 0, 0, 2], shrinkage: 0, reference: { mean: 0.1, std: 0.5 } }],
        threshold: 0.9,
      };
    });
    const loaded = await loadModel(files);
    const [p] = await predictBatch(loaded, x, 1, { cam: true });
    if (!p) throw new Error('expected one prediction');
    // embedding = (mean A0, mean A1) = (0.5, 1)
    expect(p.logits.nodule).toBeCloseTo(2 * 0.5 - 1 * 1 + 0.5, 5); // 0.5
    expect(p.logits.effusion).toBeCloseTo(-0.5 + 3 - 0.25, 5); // 2.25
    // example card temperatures: nodule 1, effusion 2; thresholds 0.4 and 0.6
    expect(p.scores.nodule).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 5);
    expect(p.scores.effusion).toBeCloseTo(1 / (1 + Math.exp(-1.125)), 5);
    expect(p.positives).toEqual(['nodule', 'effusion']);
    // x/|x| − mean = (0, 0.5, 0, 0.5)/√2.5, Σ = 4·I: d = |(0, 0.5, 0, 0.5)|/(2·√2.5) = √0.5/(2·√2.5); z = (d − 0.1)/0.5.
    expect(p.ood.distance).toBeCloseTo((Math.sqrt(0.5) / (2 * Math.sqrt(2.5)) - 0.1) / 0.5, 5);
    expect(p.ood.flagged).toBe(false);
    // CAM nodule = 2·A0 − A1: left 2, right −2 → normalised left 1, right 0.
    // CAM effusion = −A0 + 3·A1: left −1, right 6 → left 0, right 1.
    const nodule = Array.from(p.cam!.nodule!.data);
    const effusion = Array.from(p.cam!.effusion!.data);
    for (let i = 0; i < size * size; i++) {
      const left = i % size < size / 2;
      expect(nodule[i]).toBeCloseTo(left ? 1 : 0, 5);
      expect(effusion[i]).toBeCloseTo(left ? 0 : 1, 5);
    }
    loaded.dispose();
  });
});

describe('hand-set logit-map model (card v3 architecture.head)', () => {
  // input [8, 8, 1] → 1×1 conv "features" (ReLU(x), ReLU(−x)) → 1×1 conv "map" (one logit per label and pixel)
  // → logits = (global max + global mean) / 2 of the map.
  const size = 8;
  function mapModel(): tfl.LayersModel {
    const input = tfl.input({ shape: [size, size, 1] });
    const features = tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'features' }).apply(input) as tfl.SymbolicTensor;
    const map = tfl.layers.conv2d({ filters: 2, kernelSize: 1, name: 'map' }).apply(features) as tfl.SymbolicTensor;
    const max = tfl.layers.globalMaxPooling2d({}).apply(map) as tfl.SymbolicTensor;
    const mean = tfl.layers.globalAveragePooling2d({}).apply(map) as tfl.SymbolicTensor;
    const logits = tfl.layers.average({ name: 'logits' }).apply([max, mean]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: logits });
    model.getLayer('features').setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2]), tf.tensor1d([0, 0])]);
    // map nodule = 2·A0 − A1 + 0.5 ; map effusion = −A0 + 3·A1 − 0.25
    model.getLayer('map').setWeights([tf.tensor4d([2, -1, -1, 3], [1, 1, 2, 2]), tf.tensor1d([0.5, -0.25])]);
    return model;
  }
  const withHead = (c: ModelCard) => {
    c.architecture = { ...c.architecture, head: { kind: 'logit-map', mapLayer: 'map', pooling: 'max-mean' } };
    c.ood = { ...c.ood, layers: [{ layer: 'features', summary: 'channel-moments', level: 'anatomy', size: 4, mean: [0, 0, 0, 0], choleskyPacked: [1, 0, 1, 0, 0, 1, 0, 0, 0, 1], shrinkage: 0, reference: { mean: 0, std: 1 } }] };
  };

  it('pools the map into the logits and shows the map itself (with its bias) as the heatmap', async () => {
    // One bright pixel (a "nodule") at row 2, column 5 on a slightly negative background.
    const x = new Float32Array(size * size).fill(-0.1);
    x[2 * size + 5] = 3;
    const loaded = await loadModel((await folderFor(mapModel(), size, 'float32', withHead)).files);
    expect(Array.from(loaded.headBias ?? [])).toEqual([0.5, -0.25]);
    const [p] = await predictBatch(loaded, x, 1, { cam: true });
    if (!p) throw new Error('expected one prediction');
    // Map nodule: 2·3 + 0.5 = 6.5 at the pixel, −0.1 + 0.5 = 0.4 elsewhere: max 6.5, mean (6.5 + 63·0.4)/64.
    const noduleMean = (6.5 + 63 * 0.4) / 64;
    expect(p.logits.nodule).toBeCloseTo((6.5 + noduleMean) / 2, 5);
    // Map effusion: −3 − 0.25 at the pixel, 0.3 − 0.25 = 0.05 elsewhere: max 0.05.
    expect(p.logits.effusion).toBeCloseTo((0.05 + (-3.25 + 63 * 0.05) / 64) / 2, 5);
    // A global average alone would dilute the nodule 64-fold: the max keeps it.
    expect(p.logits.nodule).toBeGreaterThan(3);
    // Heatmap = the map, ReLU and scaled by its maximum, resized 8 → 8 (identity): 1 at the pixel, 0.4/6.5 elsewhere.
    const nodule = Array.from(p.cam!.nodule!.data);
    for (let i = 0; i < size * size; i++) expect(nodule[i]).toBeCloseTo(i === 2 * size + 5 ? 1 : 0.4 / 6.5, 5);
    const effusion = Array.from(p.cam!.effusion!.data);
    for (let i = 0; i < size * size; i++) expect(effusion[i]).toBeCloseTo(i === 2 * size + 5 ? 0 : 1, 5);
    loaded.dispose();
  });

  it('refuses a card whose head names a layer the model lacks, or a logit map that is not 1×1 over the features', async () => {
    const missing = await folderFor(mapModel(), size, 'float32', (c) => {
      withHead(c);
      c.architecture.head = { kind: 'logit-map', mapLayer: 'nope', pooling: 'max-mean' };
    });
    await expectTypedError(loadModel(missing.files), 'MODEL_LOAD_FAILED', '"nope"');
    // The dense GAP head read as a logit map: its kernel is [C, labels], not [1, 1, C, labels].
    const input = tfl.input({ shape: [size, size, 1] });
    const features = tfl.layers.conv2d({ filters: 2, kernelSize: 1, name: 'features' }).apply(input) as tfl.SymbolicTensor;
    const dense = tfl.layers.dense({ units: 2, name: 'logits' }).apply(tfl.layers.globalAveragePooling2d({}).apply(features)) as tfl.SymbolicTensor;
    const wrong = await folderFor(tfl.model({ inputs: input, outputs: dense }), size, 'float32', (c) => {
      withHead(c);
      c.architecture.head = { kind: 'logit-map', mapLayer: 'logits', pooling: 'max-mean' };
    });
    await expectTypedError(loadModel(wrong.files), 'MODEL_INPUT_MISMATCH', 'logit-map layer "logits"');
  });
});
