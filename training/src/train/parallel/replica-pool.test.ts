/**
 * Data-parallel steps: the same seed gives the same weights, losses and Adam state with the step
 * computed in one thread and in two worker threads (every replica, batch-norm moving statistics
 * included, bit for bit);
 * a worker that throws or whose thread ends stops the run with TRAINING_WORKER_FAILED.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../core/random/seeded-random.ts';
import { expectTypedError } from '../../../../test/typed-error-code.ts';
import { selectBackend } from '../../backend/select-backend.ts';
import { createClassifier, resolveClassifierOptions } from '../../model/create-model.ts';
import { optimizerSnapshot, weightSnapshot } from '../train-loop.ts';
import type { WorkerFault } from './messages.ts';
import { Replica, splitBatch, type MicroBatch } from './replica.ts';
import { createReplicaPool } from './replica-pool.ts';

const MODEL = resolveClassifierOptions({ inputSize: 32, labels: ['a', 'b', 'c'], width: 4, stageMultipliers: [2, 4], seed: 3 });
const POSITIVE_WEIGHTS = Float32Array.from([1, 2, 3]);
const BATCH = 8;
const MICRO = 4;
const STEPS = 30;
const LR = 3e-3;

/** Seeded images and labels: the same bytes for every run. */
function batchAt(step: number): MicroBatch {
  const random = seededRandom(1000 + step);
  const x = Float32Array.from({ length: BATCH * 32 * 32 }, () => random() * 2 - 1);
  const y = Float32Array.from({ length: BATCH * 3 }, () => (random() < 0.4 ? 1 : 0));
  return { x, y, size: BATCH };
}

function freshReplica(): Replica {
  const model = createClassifier(MODEL);
  return new Replica(model, tf.train.adam(LR) as tf.AdamOptimizer, POSITIVE_WEIGHTS, MODEL.inputSize);
}

function maxRelativeDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) => {
    const v = b[i] as Float32Array;
    let scale = 1e-6;
    for (const x of w) scale = Math.max(scale, Math.abs(x));
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs((w[j] as number) - (v[j] as number)) / scale);
  });
  return worst;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

const replicas: Replica[] = [];
afterAll(() => replicas.forEach((r) => (r.model.dispose(), r.optimizer.dispose(), r.dispose())));

describe('data-parallel training steps', () => {
  it(`gives the same weights in one thread and in two workers (${STEPS} steps, ${MICRO} ghost batches)`, async () => {
    const single = freshReplica();
    const main = freshReplica();
    replicas.push(single, main);
    const initial = weightSnapshot(single.model);
    const pool = await createReplicaPool({ workers: 2, microBatches: MICRO, model: MODEL, learningRate: LR, positiveWeights: POSITIVE_WEIGHTS, replica: main });
    const lossesSingle: number[] = [];
    const lossesPool: number[] = [];
    let tensorsAfterFirst = 0;
    try {
      for (let step = 0; step < STEPS; step++) {
        lossesSingle.push(single.step(splitBatch(batchAt(step), MICRO), LR));
        lossesPool.push(await pool.step(splitBatch(batchAt(step), MICRO), LR));
        if (step === 1) tensorsAfterFirst = tf.memory().numTensors; // Adam's state exists from step 1 on
      }
      expect(tf.memory().numTensors).toBe(tensorsAfterFirst); // no tensor leaked per step
      const reference = weightSnapshot(single.model);
      // training moved the weights (and the batch-norm statistics), so equality is not vacuous
      expect(maxRelativeDifference(initial, reference)).toBeGreaterThan(1e-3);
      // The sums run in the same order with the same kernels: the replicas agree bit for bit.
      for (const workerWeights of await pool.snapshots()) expect(maxRelativeDifference(reference, workerWeights)).toBe(0);
      // the main thread's replica takes no step of its own: it is behind until sync()
      expect(maxRelativeDifference(initial, weightSnapshot(main.model))).toBe(0);
      await pool.sync();
      expect(maxRelativeDifference(reference, weightSnapshot(main.model))).toBe(0);
      expect(lossesPool).toEqual(lossesSingle);
      // Adam's state for a checkpoint, from a worker: the one-thread run's
      const state = await pool.optimizerState();
      const expected = await optimizerSnapshot(single.optimizer);
      expect(state.map((v) => v.shape)).toEqual(expected.map((v) => v.shape));
      expect(maxRelativeDifference(state.map((v) => v.values), expected.map((v) => v.values))).toBe(0);
    } finally {
      await pool.close();
    }
  }, 180_000);

  it.each<WorkerFault['kind']>(['throw', 'exit'])('ends the run with TRAINING_WORKER_FAILED when a worker fails (%s)', async (kind) => {
    const main = freshReplica();
    replicas.push(main);
    const pool = await createReplicaPool({ workers: 2, microBatches: 2, model: MODEL, learningRate: LR, positiveWeights: POSITIVE_WEIGHTS, replica: main, fault: { worker: 1, step: 1, kind } });
    try {
      await pool.step(splitBatch(batchAt(0), 2), LR);
      await expectTypedError(pool.step(splitBatch(batchAt(1), 2), LR), 'TRAINING_WORKER_FAILED', 'Training worker 1 failed', kind === 'exit' ? 'exit code 3' : 'injected fault');
      // later steps are refused at once, not left waiting
      await expectTypedError(pool.step(splitBatch(batchAt(2), 2), LR), 'TRAINING_WORKER_FAILED');
    } finally {
      await pool.close();
    }
  }, 120_000);
});
