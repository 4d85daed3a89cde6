import { describe, expect, it } from 'vitest';
import { expectTypedError } from '../../../../test/typed-error-code.ts';
import { ghostBatchSize, planWorkers } from './worker-count.ts';

describe('ghost batches and worker count', () => {
  it('splits a batch into two ghost batches unless told, depending on nothing but the batch size', () => {
    expect([32, 16, 12, 10, 8, 7, 4, 2].map((b) => ghostBatchSize(b))).toEqual([16, 8, 6, 5, 4, 7, 2, 2]);
    expect(ghostBatchSize(32, 4)).toBe(4);
  });

  it('refuses a ghost batch that does not divide the batch', async () => {
    await expectTypedError(() => ghostBatchSize(32, 5), 'CLI_USAGE', '--ghost-batch to divide the batch size 32');
  });

  it('auto: one worker per core, at most one per ghost batch, one thread on one core or another backend', () => {
    expect(planWorkers('auto', 4, 'wasm', 2).workers).toBe(2);
    expect(planWorkers('auto', 4, 'wasm', 8).workers).toBe(4);
    expect(planWorkers('auto', 1, 'wasm', 8).workers).toBe(1);
    expect(planWorkers('auto', 4, 'wasm', 1).workers).toBe(1);
    expect(planWorkers('auto', 4, 'cpu', 8)).toMatchObject({ workers: 1, reason: expect.stringContaining('this run uses cpu') });
  });

  it('takes an explicit count up to the ghost batches, and refuses workers on a backend other than wasm', async () => {
    expect(planWorkers(3, 4, 'wasm', 2).workers).toBe(3);
    expect(planWorkers(6, 4, 'wasm', 2)).toMatchObject({ workers: 4, reason: expect.stringContaining('not 6') });
    expect(planWorkers(1, 4, 'cpu', 2).workers).toBe(1);
    await expectTypedError(() => planWorkers(2, 4, 'cpu', 2), 'CLI_USAGE', 'WebAssembly backend for --workers 2');
  });
});
