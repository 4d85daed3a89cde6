/**
 * Helpers for RadLocal's WASM kernels: call another kernel registered for `wasm` directly
 * (no engine, no tape) and free the temporaries it produced.
 *
 * Ownership rule: every TensorInfo returned by `callWasmKernel` holds one backend reference;
 * a kernel either returns it (the engine then owns it) or releases it with `release`.
 */
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

export function callWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new RadLocalError(
      'BACKEND_UNAVAILABLE',
      `Expected the WebAssembly backend to provide the ${kernelName} kernel, but it is not registered.`,
    );
  }
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) {
    throw new RadLocalError('INTERNAL', `Expected one output from the ${kernelName} kernel, but got ${out.length}.`);
  }
  return out;
}

/** Drops one backend reference to each tensor (frees its WASM memory when none is left). */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A float32 view of a tensor's bytes on the WASM heap (valid until the next allocation). */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new RadLocalError('INTERNAL', `Expected a float32 tensor on the WASM heap, but got ${info.dtype}.`);
  }
  return view;
}
