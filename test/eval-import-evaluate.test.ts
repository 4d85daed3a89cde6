/**
 * `radlocal import-model` then `radlocal evaluate`, end to end on a small generated PNG set:
 * 1. a RadLocal classifier (the model engineer's factory) saved with `model.save` into a plain
 *    folder and imported as if it came from outside: same logits after import, temperatures
 *    equal to an independent fit, a card the core loader accepts;
 * 2. a hand-built Keras-style model with a sigmoid head (probabilities) whose logit is an
 *    exact function of the mean input: the importer must expose the logits, and evaluate's
 *    AUC, sensitivity and specificity must equal figures computed independently.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelCard } from '../core/model/model-card.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { preprocessFile } from '../training/src/data/decode-example.ts';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { rocAuc } from '../core/metrics/metrics.ts';
import { evaluateModel } from '../training/src/eval/evaluate-model.ts';
import { importExternalModel } from '../training/src/import/import-external-model.ts';
import { fitTemperature, sigmoid } from '../core/calibration/temperature.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { createClassifier } from '../training/src/model/create-model.ts';
import { seededRandom } from '../core/random/seeded-random.ts';
import { expectTypedError } from './typed-error-code.ts';

const LABELS = ['square', 'stripe'];
const SIZE = 32;
const COUNT = 48;

/** 32×32 grey PNGs: dark noise, plus a bright 12×12 square and/or a bright 32×6 stripe. */
function writeDataset(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(11);
  const rows = ['file,patient_id,square,stripe'];
  for (let i = 0; i < COUNT; i++) {
    const square = i % 2;
    const stripe = Math.floor(i / 2) % 2;
    const pixels = new Uint8Array(SIZE * SIZE);
    const sx = Math.floor(random() * 18);
    const sy = Math.floor(random() * 18);
    const ty = Math.floor(random() * 24);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let v = Math.floor(random() * 60);
        if (square && x >= sx && x < sx + 12 && y >= sy && y < sy + 12) v = 230 + Math.floor(random() * 25);
        if (stripe && y >= ty && y < ty + 6) v = 230 + Math.floor(random() * 25);
        pixels[y * SIZE + x] = v;
      }
    }
    const file = `img-${String(i).padStart(3, '0')}.png`;
    writeFileSync(join(dir, file), encode({ width: SIZE, height: SIZE, data: pixels, channels: 1, depth: 8 }));
    rows.push(`${file},p${i},${square},${stripe}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
}

/** Saves a layers model the way the TensorFlow.js converter lays it out: model.json + one shard. */
async function saveAsExternal(model: tfl.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!));
      writeFileSync(join(dir, 'group1-shard1of1.bin'), weights);
      const json = {
        format: 'layers-model',
        generatedBy: 'keras v2.15.0',
        convertedBy: 'TensorFlow.js Converter v4.22.0',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
}

/** input → 1×1 conv (weight 1, no bias) "features" → global average → dense(2, sigmoid): logit_j = a_j · mean + b_j. */
function meanSigmoidModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [SIZE, SIZE, 1], name: 'image' });
  const features = tfl.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false, kernelInitializer: 'ones', name: 'features' }).apply(input) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(features) as tfl.SymbolicTensor;
  const dense = tfl.layers.dense({ units: 2, activation: 'sigmoid', name: 'head' });
  const output = dense.apply(pooled) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output, name: 'keras_mean_model' });
  dense.setWeights([tf.tensor2d([[12, 9]]), tf.tensor1d([-4, -3])]);
  return model;
}

async function inputsOf(dir: string, params: Parameters<typeof preprocessFile>[1]): Promise<{ refs: ReturnType<typeof openDataset>['splits']['test']; x: Float32Array[] }> {
  const refs = openDataset(dir, { labels: LABELS, splitFractions: { train: 0, val: 0, test: 1 } }).splits.test;
  const x: Float32Array[] = [];
  for (const ref of refs) x.push(await preprocessFile(ref.path, params));
  return { refs, x };
}

describe('import-model and evaluate', () => {
  let root: string;
  let data: string;
  beforeAll(async () => {
    await selectBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'radlocal-import-'));
    data = join(root, 'data');
    writeDataset(data);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports a RadLocal classifier saved as a plain TF.js model without changing its logits', async () => {
    const original = createClassifier({ inputSize: SIZE, labels: LABELS, width: 4, stageMultipliers: [1, 2], seed: 3, head: 'map' });
    const from = join(root, 'external-resnet');
    await saveAsExternal(original, from);
    const out = join(root, 'models', 'imported-resnet');
    const result = await importExternalModel({ from, labels: LABELS, out, data, backend: 'cpu', holdout: 0.5 });

    const card = parseModelCard(readFileSync(join(out, 'model-card.json')));
    // A RadLocal classifier with the logit-map head (card v3 architecture.head): recognised as such.
    expect(card.architecture).toMatchObject({ featureLayer: 'features', logitsLayer: 'logits', format: 'layers-model', head: { kind: 'logit-map', mapLayer: 'logit_map', pooling: 'max-mean' } });
    expect(card.ood.layers.map((l) => l.layer)).not.toContain('logit_map');
    expect(result.layout).toMatchObject({ outputs: 'logits', sigmoidInHead: false, inputHeight: SIZE, inputWidth: SIZE });
    expect(card.files.map((f) => f.path).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expect(result.calibrationImages + result.holdoutImages).toBe(COUNT);
    // The card travels with the model: it names the data folder, never a local absolute path.
    expect(readFileSync(join(out, 'model-card.json'), 'utf8')).not.toContain(root);

    // Same logits through the imported folder (core loader, hashes verified) as from the original model.
    const { refs, x } = await inputsOf(data, card.preprocessing);
    const loaded = await loadModelFolder(out);
    const batch = tf.tensor4d(Float32Array.from(x.flatMap((v) => Array.from(v))), [x.length, SIZE, SIZE, 1]);
    const before = (original.predict(batch) as tf.Tensor).arraySync() as number[][];
    const after = (loaded.model.predict(batch) as tf.Tensor).arraySync() as number[][];
    batch.dispose();
    expect(after.flat().map((v, i) => Math.abs(v - (before.flat()[i] as number))).reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(1e-5);

    // The card's temperatures are the NLL-optimal ones on the calibration part (same patient split, seed 0).
    const calibrationPaths = new Set(
      openDataset(data, { labels: LABELS, splitFractions: { train: 0, val: 0.5, test: 0.5 } }).splits.val.map((r) => r.path),
    );
    LABELS.forEach((label, j) => {
      const logits: number[] = [];
      const truth: number[] = [];
      refs.forEach((ref, i) => {
        if (!calibrationPaths.has(ref.path)) return;
        logits.push(before[i]![j]!);
        truth.push(ref.labels[j]!);
      });
      expect(card.calibration.temperatures[label]).toBeCloseTo(fitTemperature(logits, truth), 4);
    });
    loaded.dispose();
    original.dispose();
  });

  it('exposes the logits of a sigmoid model and evaluate reproduces independently computed figures', async () => {
    const original = meanSigmoidModel();
    const from = join(root, 'external-mean');
    await saveAsExternal(original, from);
    const out = join(root, 'models', 'mean-model');
    const cli = (args: string[]) => promisify(execFile)(process.execPath, ['training/bin/radlocal.mjs', ...args], { cwd: join(import.meta.dirname, '..') });
    const imported = await cli(['import-model', '--from', from, '--labels', LABELS.join(','), '--out', out, '--data', data, '--holdout', '0.25', '--outputs', 'probabilities', '--json', '--backend', 'cpu']);
    const result = JSON.parse(imported.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ name: 'mean-model', outputs: 'probabilities', sigmoidRemoved: true, logitsLayer: 'head', featureLayer: 'features', calibrationImages: 36, holdoutImages: 12 });
    const card = parseModelCard(readFileSync(join(out, 'model-card.json')));
    expect(result.temperatures).toEqual(card.calibration.temperatures);

    // The imported model outputs logits: sigmoid(logit) is the original probability.
    const { refs, x } = await inputsOf(data, card.preprocessing);
    const loaded = await loadModelFolder(out);
    const probe = tf.tensor4d(x[0]!, [1, SIZE, SIZE, 1]);
    const probability = (original.predict(probe) as tf.Tensor).dataSync();
    const logit = (loaded.model.predict(probe) as tf.Tensor).dataSync();
    probe.dispose();
    expect(sigmoid(logit[0]!)).toBeCloseTo(probability[0]!, 6);
    loaded.dispose();
    original.dispose();

    // Independent figures: logit_j = a_j · mean(input) + b_j with a_j > 0, so the AUC is that of the input means,
    // and a case is positive iff sigmoid(logit / T) ≥ threshold.
    const means = x.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    const expected = LABELS.map((label, j) => {
      const truth = refs.map((r) => r.labels[j]!);
      const a = j === 0 ? 12 : 9;
      const b = j === 0 ? -4 : -3;
      const t = card.calibration.temperatures[label]!;
      const threshold = card.thresholds[label]!.threshold;
      const positive = means.map((m) => sigmoid((a * m + b) / t) >= threshold);
      const tp = positive.filter((p, i) => p && truth[i] === 1).length;
      const tn = positive.filter((p, i) => !p && truth[i] === 0).length;
      const positives = truth.filter((y) => y === 1).length;
      return { auc: rocAuc(means, truth), sensitivity: tp / positives, specificity: tn / (truth.length - positives), threshold };
    });

    const report = join(root, 'report.html');
    const { stdout } = await cli(['evaluate', '--model', out, '--data', data, '--split', 'all', '--json', '--report', report, '--bootstrap', '200', '--examples', '2', '--backend', 'cpu']);
    const json = JSON.parse(stdout) as Record<string, unknown> & { perLabel: Record<string, Record<string, unknown>> };
    expect(Object.keys(json).slice(0, 5)).toEqual(['n', 'perLabel', 'macroAuc', 'ece', 'oodRate']);
    expect(json.n).toBe(COUNT);
    LABELS.forEach((label, j) => {
      const got = json.perLabel[label]!;
      const want = expected[j]!;
      expect(got.auc).toBeCloseTo(want.auc, 10);
      expect(got.sensitivity).toBeCloseTo(want.sensitivity, 10);
      expect(got.specificity).toBeCloseTo(want.specificity, 10);
      expect(got.threshold).toBe(want.threshold);
      const [lo, hi] = got.aucCi95 as [number, number];
      expect(lo).toBeLessThanOrEqual(want.auc);
      expect(hi).toBeGreaterThanOrEqual(want.auc);
    });
    expect(json.macroAuc).toBeCloseTo((expected[0]!.auc + expected[1]!.auc) / 2, 10);
    expect(typeof json.ece).toBe('number');

    const html = readFileSync(report, 'utf8');
    expect(html).toContain('The model folder has no training history (imported model).');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(2 * (1 + LABELS.length));
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('evaluate fails on an unreadable image with DATASET_BAD_FILES, or skips it with skipBad', async () => {
    const original = meanSigmoidModel();
    const from = join(root, 'external-bad');
    await saveAsExternal(original, from);
    original.dispose();
    const out = join(root, 'models', 'bad-data-model');
    await importExternalModel({ from, labels: LABELS, out, data, backend: 'cpu' });
    const broken = join(root, 'data-broken');
    cpSync(data, broken, { recursive: true });
    writeFileSync(join(broken, 'img-007.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const loaded = await loadModelFolder(out);
    try {
      await expectTypedError(evaluateModel(loaded, broken, { split: 'all', bootstrapIterations: 10 }), 'DATASET_BAD_FILES', 'img-007.png');
      const skipped = await evaluateModel(loaded, broken, { split: 'all', bootstrapIterations: 10, skipBad: true });
      expect([skipped.summary.n, skipped.skipped]).toEqual([COUNT - 1, 1]);
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a model whose outputs do not match the labels, and a graph model', async () => {
    const original = meanSigmoidModel();
    const from = join(root, 'external-mismatch');
    await saveAsExternal(original, from);
    original.dispose();
    await expect(importExternalModel({ from, labels: ['a', 'b', 'c'], out: join(root, 'models', 'x'), data, backend: 'cpu' })).rejects.toThrow(
      'Expected the model output to be [N, 3] for the labels a, b, c, but it is [N, 2].',
    );
    const graph = join(root, 'external-graph');
    mkdirSync(graph);
    writeFileSync(join(graph, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    await expectTypedError(importExternalModel({ from: graph, labels: LABELS, out: join(root, 'models', 'y'), data, backend: 'cpu' }), 'MODEL_LOAD_FAILED');
  });
});
