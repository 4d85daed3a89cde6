/**
 * `radlocal train` over two replica workers, stopped (Ctrl-C) in the middle of an epoch and
 * resumed, ends with the same model as the run that was never stopped; and a worker that dies
 * during a run ends it with TRAINING_WORKER_FAILED, not a hang.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePngManifest } from '../../../../test/helpers/png-manifest.ts';
import { expectTypedError } from '../../../../test/typed-error-code.ts';
import { DEFAULT_AUGMENT } from '../augment.ts';
import { DEFAULT_TRAINING, runTraining, type TrainingOptions } from '../run-training.ts';

const root = mkdtempSync(join(tmpdir(), 'radlocal-parallel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 48 patients, one 32² PNG each, "common" in every 3rd. */
const data = writePngManifest(join(root, 'data'), 48, { common: (p) => p % 3 === 0 });
const options = (out: string, extra: Partial<TrainingOptions> = {}): TrainingOptions => ({
  ...DEFAULT_TRAINING,
  data,
  out,
  name: 'tiny',
  command: 'radlocal train (test)',
  epochs: 2,
  imageSize: 32,
  width: 4,
  stageMultipliers: [2, 4],
  batchSize: 8,
  ghostBatch: 4,
  maxStepsPerEpoch: 3,
  augment: DEFAULT_AUGMENT,
  workers: 0,
  backend: 'wasm',
  trainWorkers: 2,
  ...extra,
});

const weightsOf = (out: string): Float32Array => {
  const bytes = readFileSync(join(out, 'group1-shard1of1.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

describe('train over two workers', () => {
  it('stopped mid-epoch and resumed, gives the model of the uninterrupted run', async () => {
    const whole = join(root, 'whole');
    const losses: number[] = [];
    let workers = 0;
    await runTraining(options(whole), { onStep: (s) => losses.push(s.loss), onWorkers: (n) => (workers = n) });
    expect(workers).toBe(2);
    expect(losses).toHaveLength(6);

    const parts = join(root, 'parts');
    const before: number[] = [];
    const stopped = await runTraining(options(parts), { onStep: (s) => before.push(s.loss), shouldStop: () => before.length === 4 });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.state).toMatchObject({ epoch: 1, step: 4, epochStep: 1 });
    const after: number[] = [];
    const resumed = await runTraining(options(parts, { resume: true }), { onStep: (s) => after.push(s.loss) });
    expect(resumed.interrupted).toBe(false);
    // the resumed run takes exactly the steps left (epoch 2, steps 2 and 3), on the same batches
    expect([...before, ...after]).toHaveLength(6);
    [...before, ...after].forEach((loss, i) => expect(loss).toBeCloseTo(losses[i] as number, 5));

    // Tolerance: Adam's bias-correction powers are recomputed on resume (β^t instead of a running
    // product), a float32 rounding apart; 1e-5 of the largest weight bounds that over 2 steps.
    const a = weightsOf(whole);
    const b = weightsOf(parts);
    expect(b.length).toBe(a.length);
    let scale = 0;
    let worst = 0;
    a.forEach((v, i) => {
      scale = Math.max(scale, Math.abs(v));
      worst = Math.max(worst, Math.abs(v - (b[i] as number)));
    });
    expect(worst / scale).toBeLessThanOrEqual(1e-5);
  }, 240_000);

  it('ends with TRAINING_WORKER_FAILED when a worker thread dies', async () => {
    await expectTypedError(
      runTraining(options(join(root, 'crash'), { workerFault: { worker: 0, step: 2, kind: 'exit' } })),
      'TRAINING_WORKER_FAILED',
      'Training worker 0 failed (its thread ended with exit code 3)',
    );
  }, 120_000);
});
