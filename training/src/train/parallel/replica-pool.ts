/**
 * Data-parallel training steps over Node worker threads (main-thread side). Each of N workers
 * holds a replica (replica-worker.ts); a step's M micro-batches are dealt round-robin
 * (micro-batch m to worker m mod N), every worker writes its slots into one SharedArrayBuffer,
 * and once all slots are written (the workers wait for each other on a shared counter) worker
 * i applies the mean update to shard i of the weights (Adam's work split N ways) and publishes
 * it; every worker then takes the other shards, and the step ends when all report it done. The
 * main thread applies no update: its replica (which validation, best weights and checkpoints
 * read) takes worker 0's weights on `sync()`, and checkpoints merge the workers' Adam shards.
 *
 * A worker that throws, fails to start or exits ends the run with TRAINING_WORKER_FAILED
 * (never a hang): every pending and later step is refused and the other workers are stopped.
 */
import { Worker } from 'node:worker_threads';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { ResolvedClassifierOptions } from '../../model/create-model.ts';
import { optimizerSnapshot, restoreWeights, weightSnapshot, type OptimizerVariable, type StepRunner } from '../train-loop.ts';
import { sharedFloats, stepSlots, type FromWorker, type StepMessage, type ToWorker, type WorkerFault } from './messages.ts';
import { mergeOptimizerStates, slotsLoss, type Replica } from './replica.ts';

export interface ReplicaPoolOptions {
  workers: number;
  microBatches: number;
  model: ResolvedClassifierOptions;
  learningRate: number;
  positiveWeights: Float32Array;
  /** The main thread's replica: its weights and Adam state seed the workers; `sync()` brings it up to date. */
  replica: Replica;
  fault?: WorkerFault;
  /** The worker entry (tests may pass another). */
  workerUrl?: URL;
}

export interface ReplicaPool extends StepRunner {
  readonly workers: number;
  /** Every worker's model weights (to check that the replicas agree). */
  snapshots(): Promise<Float32Array[][]>;
  close(): Promise<void>;
}

function workerError(index: number, what: string): RadLocalError {
  return new RadLocalError(
    'TRAINING_WORKER_FAILED',
    `Training worker ${index} failed (${what}), so training stopped. The checkpoint of the last completed epoch is kept; run the same command with --resume, or with --workers 1 to train in one thread.`,
    { details: { worker: index } },
  );
}

export async function createReplicaPool(o: ReplicaPoolOptions): Promise<ReplicaPool> {
  const { microBatches: M, replica } = o;
  const slotSize = replica.slotSize;
  const shared = new SharedArrayBuffer(sharedFloats(M, slotSize) * Float32Array.BYTES_PER_ELEMENT);
  const counter = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const sharedWeights = new SharedArrayBuffer(replica.trainableSize * Float32Array.BYTES_PER_ELEMENT);
  const slots = stepSlots(new Float32Array(shared), M, slotSize);
  const weights = weightSnapshot(replica.model);
  const state = await optimizerSnapshot(replica.optimizer);
  // A fresh Adam has only its step counter: the workers start fresh too.
  const optimizer = state.length > 1 ? state : undefined;

  let failure: RadLocalError | undefined;
  let closing = false;
  /** Waiters for a message from worker i of a given type. */
  const waiters = new Set<{ accept: (m: FromWorker) => boolean; reject: (e: RadLocalError) => void }>();
  const fail = (error: RadLocalError): void => {
    if (failure || closing) return;
    failure = error;
    for (const w of waiters) w.reject(error);
    waiters.clear();
    for (const worker of workers) void worker.terminate();
  };
  const url = o.workerUrl ?? new URL('./replica-worker-bootstrap.mjs', import.meta.url);
  const workers = Array.from({ length: o.workers }, (_, index) => {
    const worker = new Worker(url);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'error') return fail(workerError(index, `${m.error.code}: ${m.error.message}`));
      for (const w of waiters) if (w.accept(m)) return;
    });
    worker.on('error', (error: Error) => fail(workerError(index, `it crashed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!closing) fail(workerError(index, `its thread ended with exit code ${code}`));
    });
    return worker;
  });

  /** Resolves with the first `count` messages that `match` accepts (one from each worker). */
  const collect = (match: (m: FromWorker) => boolean, count: number): Promise<FromWorker[]> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const got: FromWorker[] = [];
      const waiter = {
        accept: (m: FromWorker): boolean => {
          if (!match(m)) return false;
          got.push(m);
          if (got.length === count) {
            waiters.delete(waiter);
            resolve(got);
          }
          return true;
        },
        reject,
      };
      waiters.add(waiter);
    });
  const send = (i: number, message: ToWorker, transfer: ArrayBuffer[] = []): void => workers[i]!.postMessage(message, transfer);

  const ready = collect((m) => m.type === 'ready', o.workers);
  workers.forEach((_, index) =>
    send(index, {
      type: 'init',
      index,
      workers: o.workers,
      model: o.model,
      learningRate: o.learningRate,
      positiveWeights: o.positiveWeights,
      weights,
      ...(optimizer ? { optimizer } : {}),
      shared,
      sharedWeights,
      counter,
      slotSize,
      microBatches: M,
      ...(o.fault ? { fault: o.fault } : {}),
    }),
  );
  try {
    await ready;
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }

  let stepNumber = 0;
  /** Steps taken since the main thread's replica last took worker 0's weights. */
  let behind = false;
  /** Every worker's answer to a `type` request, in worker order. */
  const gather = async <T extends 'snapshot' | 'optimizer'>(type: T): Promise<Extract<FromWorker, { type: T }>[]> => {
    const got = collect((m) => m.type === type, o.workers);
    workers.forEach((_, i) => send(i, { type }));
    return (await got).sort((a, b) => a.index - b.index) as Extract<FromWorker, { type: T }>[];
  };
  return {
    workers: o.workers,
    async step(micro, learningRate) {
      if (failure) throw failure;
      if (micro.length !== M) throw new RadLocalError('INTERNAL', `Expected ${M} micro-batches per step, but got ${micro.length}.`);
      const step = stepNumber++;
      behind = true;
      const stepped = collect((m) => m.type === 'stepped' && m.step === step, o.workers);
      workers.forEach((_, i) => {
        const mine = micro.map((batch, index) => ({ index, batch })).filter(({ index }) => index % o.workers === i);
        const message: StepMessage = { type: 'step', step, learningRate, micro: mine };
        send(i, message, mine.flatMap(({ batch }) => [batch.x.buffer as ArrayBuffer, batch.y.buffer as ArrayBuffer]));
      });
      await stepped;
      return slotsLoss(slots);
    },
    async sync() {
      if (!behind) return;
      // the workers' replicas are identical: worker 0's weights
      restoreWeights(replica.model, (await gather('snapshot'))[0]!.weights);
      replica.resync();
      behind = false;
    },
    async optimizerState(): Promise<OptimizerVariable[]> {
      return mergeOptimizerStates((await gather('optimizer')).map((m) => m.optimizer));
    },
    async snapshots() {
      return (await gather('snapshot')).map((m) => m.weights);
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
