/**
 * Main-thread side of the decode worker: one promise per opened file, resolved with its
 * DecodedImage (frames transferred, not copied) or rejected with a typed error.
 */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { DecodeRequest, DecodeResponse } from './decode-messages.ts';
import { observeWorkerRequests } from '../privacy-audit/network-log.ts';

export interface DecodeResult {
  image: DecodedImage;
  sha256: string;
  decodeMs: number;
}

interface Pending {
  resolve: (result: DecodeResult) => void;
  reject: (error: RadLocalError & { sha256?: string }) => void;
}

let worker: Worker | undefined;
const pending = new Map<string, Pending>();
const results = new Map<string, Promise<DecodeResult>>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'radlocal-decode' });
  worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || !('id' in message)) return; // audit messages
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.ok) entry.resolve({ image: message.image, sha256: message.sha256, decodeMs: message.decodeMs });
    else entry.reject(Object.assign(new RadLocalError(message.error.code, message.error.message), { sha256: message.sha256 }));
  };
  observeWorkerRequests(worker);
  worker.onerror = (event) => {
    for (const [id, entry] of pending) {
      entry.reject(new RadLocalError('INTERNAL', `The decoder stopped unexpectedly: ${event.message}`));
      pending.delete(id);
    }
  };
  return worker;
}

/** Starts the decode worker ahead of the first file (its script parses while the page settles). */
export function warmDecoder(): void {
  getWorker();
}

/** Decodes `file` once; later calls with the same id return the same promise. */
export function decodeFile(id: string, file: Blob): Promise<DecodeResult> {
  const existing = results.get(id);
  if (existing) return existing;
  const promise = new Promise<DecodeResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    void file.arrayBuffer().then(
      (bytes) => {
        const request: DecodeRequest = { id, bytes };
        getWorker().postMessage(request, [bytes]);
      },
      (error: unknown) => {
        pending.delete(id);
        reject(new RadLocalError('DICOM_TRUNCATED', `The file could not be read from disk: ${String(error)}`));
      },
    );
  });
  results.set(id, promise);
  return promise;
}

export function decodedImage(id: string): Promise<DecodeResult> | undefined {
  return results.get(id);
}

export function forgetDecoded(): void {
  results.clear();
}
