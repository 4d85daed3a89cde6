/**
 * A pool of worker threads that decode and preprocess examples in parallel
 * (node:worker_threads; each worker loads tsx through decode-worker-bootstrap.mjs).
 */
import { Worker } from 'node:worker_threads';
import type { SerializedError } from '../../../core/errors/radlocal-error.ts';
import type { PreprocessParams } from '../../../core/preprocess/params.ts';
import type { ImageInfo } from './decode-example.ts';

export interface DecodeRequest {
  id: number;
  path: string;
  params: PreprocessParams;
}

export type DecodeResponse = { id: number; ok: true; data: Float32Array; info: ImageInfo } | { id: number; ok: false; error: SerializedError };

/** `info` is absent when the input came from the cache. */
export type DecodeResult = { ok: true; data: Float32Array; info?: ImageInfo } | { ok: false; error: SerializedError };

interface Pending {
  request: DecodeRequest;
  resolve: (r: DecodeResult) => void;
}

export interface DecodePool {
  decode(path: string, params: PreprocessParams): Promise<DecodeResult>;
  close(): Promise<void>;
}

/** @param workerUrl the worker entry (tests pass a failing one). */
export function createDecodePool(size: number, workerUrl = new URL('./decode-worker-bootstrap.mjs', import.meta.url)): DecodePool {
  const url = workerUrl;
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;
  let crashes = 0;
  let broken: SerializedError | undefined;

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker;
      const job = queue.shift() as Pending;
      busy.set(worker, job);
      worker.ref(); // a pending decode keeps the process alive…
      worker.postMessage(job.request);
    }
  };

  const spawn = (): Worker => {
    const worker = new Worker(url);
    worker.on('message', (response: DecodeResponse) => {
      const job = busy.get(worker);
      busy.delete(worker);
      worker.unref(); // …an idle worker does not
      idle.push(worker);
      if (job) job.resolve(response.ok ? { ok: true, data: response.data, info: response.info } : { ok: false, error: response.error });
      dispatch();
    });
    worker.on('error', (error: Error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      const idleAt = idle.indexOf(worker);
      if (idleAt >= 0) idle.splice(idleAt, 1);
      const failure = { ok: false as const, error: { code: 'INTERNAL' as const, message: `A decode worker crashed: ${error.message}` } };
      job?.resolve(failure);
      const i = workers.indexOf(worker);
      crashes++;
      if (crashes > 2 * workers.length) {
        // Workers that cannot even start (e.g. tsx missing): fail every waiting job instead of respawning forever.
        broken = failure.error;
        for (const pending of queue.splice(0)) pending.resolve(failure);
        return;
      }
      if (!closed && i >= 0) {
        workers[i] = spawn();
        idle.push(workers[i] as Worker);
      }
      dispatch();
    });
    worker.unref();
    return worker;
  };

  const workers: Worker[] = [];
  for (let i = 0; i < Math.max(1, size); i++) workers.push(spawn());
  idle.push(...workers);

  return {
    decode(path, params) {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'The decode pool is closed.' } });
      if (broken) return Promise.resolve({ ok: false, error: broken });
      return new Promise((resolve) => {
        queue.push({ request: { id: nextId++, path, params }, resolve });
        dispatch();
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
