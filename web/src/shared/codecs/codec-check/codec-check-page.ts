/**
 * Test-only page (built by test/e2e/codecs.spec.ts, never part of the app build): exposes
 * `window.radlocalCodecCheck(bytes)`, which decodes the bytes in a Web Worker exactly as the
 * viewer does (decodeDicom + browserCodecProvider) and resolves to a summary of frame 0.
 */
import type { CodecCheckResult } from './codec-check-result.ts';

const worker = new Worker(new URL('./codec-check.worker.ts', import.meta.url), { type: 'module' });
let nextId = 0;
const pending = new Map<number, (result: CodecCheckResult) => void>();
worker.onmessage = (event: MessageEvent<CodecCheckResult & { id: number }>) => {
  pending.get(event.data.id)?.(event.data);
  pending.delete(event.data.id);
};

(globalThis as unknown as { radlocalCodecCheck: (bytes: number[]) => Promise<CodecCheckResult> }).radlocalCodecCheck = (bytes) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    worker.postMessage({ id, bytes: Uint8Array.from(bytes) });
  });
