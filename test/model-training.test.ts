/**
 * Training: a tiny model's loss falls in a few steps; `radlocal train` end to end on a toy PNG
 * dataset writes a valid, loadable model folder; runs are reproducible for a seed; an
 * interrupted run resumes from its checkpoint.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelCard } from '../core/model/model-card.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { predictFile } from '../training/src/cli/commands/predict.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { createClassifier } from '../training/src/model/create-model.ts';
import { CHECKPOINT_DIR } from '../training/src/train/checkpoint.ts';
import { weightedBceWithLogits } from '../training/src/train/loss.ts';
import { MIN_TEMPERATURE } from '../training/src/card/floor-temperatures.ts';
import { DEFAULT_TRAINING, runTraining, type TrainingOptions } from '../training/src/train/run-training.ts';
import { writeToyDataset } from './helpers/toy-dataset.ts';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'radlocal-train-'));
  await writeToyDataset(join(dir, 'data'), 120, 5, 32);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a tiny model learns', () => {
  it('drops the loss on a fixed batch by more than a third in 12 Adam steps', () => {
    const model = createClassifier({ inputSize: 16, labels: ['a'], width: 4, seed: 2 });
    // label = the image's left half brighter than its right half
    const n = 32;
    const y = new Float32Array(n).map((_, i) => i % 2);
    const x = new Float32Array(n * 256).map((_, k) => {
      const i = Math.floor(k / 256);
      const left = k % 16 < 8;
      return (left === (y[i] === 1) ? 1 : -1) + 0.3 * Math.sin(k * 12.9898);
    });
    const xs = tf.tensor4d(x, [n, 16, 16, 1]);
    const ys = tf.tensor2d(y, [n, 1]);
    const w = tf.tensor1d([1]);
    const lossOf = () => tf.tidy(() => weightedBceWithLogits(model.apply(xs, { training: false }) as tf.Tensor2D, ys, w).dataSync()[0] as number);
    const before = lossOf();
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 12; step++) {
      optimizer.minimize(() => weightedBceWithLogits(model.apply(xs, { training: true }) as tf.Tensor2D, ys, w), false);
    }
    const after = lossOf();
    expect(before).toBeGreaterThan(0.5);
    expect(after).toBeLessThan(before * 0.66);
    tf.dispose([xs, ys, w]);
    model.dispose();
  });
});

describe('runTraining on a toy dataset', () => {
  const options = (out: string, extra: Partial<TrainingOptions> = {}): TrainingOptions => ({
    ...DEFAULT_TRAINING,
    data: join(dir, 'data'),
    out,
    name: 'toy',
    epochs: 3,
    imageSize: 32,
    batchSize: 16,
    width: 8,
    workers: 0,
    command: 'test',
    splitFractions: { train: 0.6, val: 0.2, test: 0.2 },
    ...extra,
  });

  it('exports a valid model folder that loads and predicts through core/model, reproducibly', async () => {
    const out = join(dir, 'model-a');
    const epochs: number[] = [];
    const result = await runTraining(options(out), { onEpoch: (e) => epochs.push(e.loss) });
    expect(result.interrupted).toBe(false);
    const card = parseModelCard(await readFile(join(out, 'model-card.json')));
    expect(card.labels).toEqual(['blob', 'bar']);
    expect(card.training.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(card.training.history[2]!.loss).toBeLessThan(card.training.history[0]!.loss);
    expect(card.trainingData.synthetic).toBe(true);
    expect(card.limitations[0]).toBe('Synthetic training data — not for clinical use.');
    expect(card.metrics.test.n).toBe(card.trainingData.counts.test);
    expect(card.metrics.test.macroAuc).toBeGreaterThan(0.8);
    expect(existsSync(join(out, CHECKPOINT_DIR))).toBe(false);
    // Perfectly separable toy labels: temperatures stop at the floor, thresholds stay below 1.
    for (const label of card.labels) {
      expect(card.calibration.temperatures[label]).toBeGreaterThanOrEqual(MIN_TEMPERATURE);
      expect(card.thresholds[label]!.threshold).toBeLessThan(1);
    }

    const loaded = await loadModelFolder(out);
    const record = await predictFile(loaded, join(dir, 'data', 'img-0000.png'));
    expect(record.ok).toBe(true);
    expect(Object.keys(record.scores)).toEqual(['blob', 'bar']);
    expect(record.modelSha256).toBe(loaded.modelSha256);
    loaded.dispose();

    const again: number[] = [];
    await runTraining(options(join(dir, 'model-b')), { onEpoch: (e) => again.push(e.loss) });
    expect(again).toEqual(epochs);
  });

  it('stops on request with a checkpoint and resumes to the end', async () => {
    const out = join(dir, 'model-c');
    let steps = 0;
    const first = await runTraining(options(out, { epochs: 2 }), { shouldStop: () => ++steps >= 5 });
    expect(first.interrupted).toBe(true);
    expect(existsSync(join(out, CHECKPOINT_DIR, 'state.json'))).toBe(true);
    expect(existsSync(join(out, 'model-card.json'))).toBe(false);
    const second = await runTraining(options(out, { epochs: 2, resume: true }));
    expect(second.interrupted).toBe(false);
    expect(second.card!.training.history.map((h) => h.epoch)).toEqual([1, 2]);
  });
});
