/**
 * A pool of worker threads that decode and preprocess examples in parallel
 * (node:worker_threads; each worker loads tsx through decode-worker-bootstrap.mjs).
 */
import { Worker } from 'node:worker_threads';
import type { SerializedError } from '../../../core/errors/radlocal-error.ts';
import type { PreprocessParams } from '../../../core/preprocess/params.ts';

export interface DecodeRequest {
  id: number;
  path: string;
  params: PreprocessParams;
}

export type DecodeResponse = { id: number; ok: true; data: Float32Array } | { id: number; ok: false; error: SerializedError };

export type DecodeResult = { ok: true; data: Float32Array } | { ok: false; error: SerializedError };

interface Pending {
  request: DecodeRequest;
  resolve: (r: DecodeResult) => void;
}

export interface DecodePool {
  decode(path: string, params: PreprocessParams): Promise<DecodeResult>;
  close(): Promise<void>;
}

export function createDecodePool(size: number): DecodePool {
  const url = new URL('./decode-worker-bootstrap.mjs', import.meta.url);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;

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
      if (job) job.resolve(response.ok ? { ok: true, data: response.data } : { ok: false, error: response.error });
      dispatch();
    });
    worker.on('error', (error: Error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      const i = workers.indexOf(worker);
      if (!closed && i >= 0) {
        workers[i] = spawn();
        idle.push(workers[i] as Worker);
      }
      job?.resolve({ ok: false, error: { code: 'INTERNAL', message: `A decode worker crashed: ${error.message}` } });
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
