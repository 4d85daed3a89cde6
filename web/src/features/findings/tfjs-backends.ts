/**
 * TensorFlow.js backends for the inference worker. The WASM binaries are bundled with the
 * app (Vite `?url`), never fetched from a CDN. Multithreaded WASM is off: it needs
 * cross-origin isolation and hangs in minified builds (measured here), and is slower on 2 cores.
 * The WebGL and CPU backends are loaded on demand (separate chunks), keeping the worker's
 * start-up — and so the cold start to the first score — short.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../../shared/findings/inference-messages.ts';

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': new URL(wasmUrl, self.location.href).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, self.location.href).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimdUrl, self.location.href).href,
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/** Makes `name` the active backend; throws when it cannot initialise here. */
const loaders: Record<BackendName, () => Promise<unknown>> = {
  wasm: async () => undefined,
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

export async function activateBackend(name: BackendName): Promise<void> {
  configure();
  await loaders[name]();
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`The ${name} backend could not be initialised in this browser.`);
  await tf.ready();
}

/** Calls `onLost` when the WebGL backend's context is lost (GPU reset, too many contexts). */
export function watchWebglContext(onLost: () => void): void {
  // The webgl backend exposes its context on gpgpu.gl; not part of the typed public API.
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
  const canvas = backend.gpgpu?.gl?.canvas as (OffscreenCanvas | HTMLCanvasElement) | undefined;
  canvas?.addEventListener('webglcontextlost', onLost as EventListener, { once: true });
}
