/**
 * Starts the inference worker — model fetch, verification, TensorFlow.js, warm-up: the cold
 * start's critical path — from the page's tiny entry (main.tsx), before the app's own JavaScript
 * has loaded, instead of after it.
 *
 * Kept small on purpose (it imports only the URL-fragment config): the worker's messages (and a
 * load error) are held here until the app's inference client adopts the worker, then handed over
 * in order, so nothing the worker says early — status, the privacy audit's list of its requests
 * — is lost. No side effect on import: the entry calls `bootInferenceWorker()` once the Trusted
 * Types policy is in place (a worker URL needs it).
 */
import { appConfig } from '../../shared/config/app-config.ts';
import type { InferenceRequest } from '../../shared/findings/inference-messages.ts';

let booted: { worker: Worker; held: Event[]; hold: (event: Event) => void } | undefined;
let adopted = false;

/** Creates the worker and sends it `init` (idempotent). */
export function bootInferenceWorker(): void {
  if (booted) return;
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'radlocal-inference' });
  const held: Event[] = [];
  const hold = (event: Event): void => {
    held.push(event);
  };
  worker.addEventListener('message', hold);
  worker.addEventListener('error', hold);
  const init: InferenceRequest = { type: 'init', modelUrl: new URL(appConfig.modelPath, document.baseURI).href, backend: appConfig.backend, navigationStart: performance.timeOrigin };
  worker.postMessage(init);
  booted = { worker, held, hold };
}

/**
 * The inference worker (booted now if the entry has not): `attach` adds every listener, then the
 * messages it sent so far are dispatched to them again, in order, before any new one. Once.
 */
export function adoptInferenceWorker(attach: (worker: Worker) => void): Worker {
  if (adopted) throw new Error('The inference worker was already adopted.');
  adopted = true;
  bootInferenceWorker();
  const { worker, held, hold } = booted as NonNullable<typeof booted>;
  attach(worker);
  worker.removeEventListener('message', hold);
  worker.removeEventListener('error', hold);
  for (const event of held.splice(0)) {
    worker.dispatchEvent(event instanceof MessageEvent ? new MessageEvent('message', { data: event.data }) : new ErrorEvent('error', { message: (event as ErrorEvent).message }));
  }
  return worker;
}
