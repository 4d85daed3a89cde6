/**
 * Identity and same-dtype Cast for the `wasm` backend without a copy. tfjs 4.22's wasm
 * kernels copy the whole tensor for both; a training step of the default classifier calls
 * Identity ~300 times (customGrad outputs, gradient pass-throughs) and Cast to float32 on
 * float32 tensors in every batch-norm's moments. Tensors are immutable in tfjs, so the output
 * shares the input's data with one more reference — what Reshape already does on wasm and
 * what the cpu backend does for Identity.
 *
 * Strings and dtype-changing casts go to tfjs's kernels.
 */
import { Cast, Identity, type CastAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';

interface AliasArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: Partial<CastAttrs>;
}

export function createAliasConfig(kernelName: typeof Identity | typeof Cast, fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: AliasArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const sameDtype = kernelName === Identity || attrs.dtype === x.dtype;
    if (x.dtype !== 'string' && sameDtype) {
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    }
    if (fallback === undefined) {
      throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected tfjs's ${kernelName} kernel for wasm as the general case, but it is missing.`);
    }
    return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
