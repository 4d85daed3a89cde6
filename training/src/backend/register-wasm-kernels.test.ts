import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { Conv2DBackpropInput, getKernel, Tile } from '@tensorflow/tfjs-core';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { registerRadLocalWasmKernels } from './register-wasm-kernels.ts';

describe('registerRadLocalWasmKernels', () => {
  it('refuses to run before the wasm backend is initialised (its fallbacks would lack their bindings)', () => {
    expect(() => registerRadLocalWasmKernels()).toThrow(RadLocalError);
    expect(() => registerRadLocalWasmKernels()).toThrow(/Expected the wasm backend to be initialised/);
  });

  it('replaces tfjs kernels once and is a no-op when called again', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const tfjsTile = getKernel(Tile, 'wasm')!.kernelFunc;
    const names = registerRadLocalWasmKernels();
    expect(names).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'Tile',
      'Multiply',
      'Add',
      'Sub',
      'Sum',
      'Mean',
      'FusedBatchNorm',
      'Identity',
      'Cast',
    ]);
    const ours = getKernel(Tile, 'wasm')!.kernelFunc;
    const oursInput = getKernel(Conv2DBackpropInput, 'wasm')!.kernelFunc;
    expect(ours).not.toBe(tfjsTile);
    expect(registerRadLocalWasmKernels()).toEqual(names);
    expect(getKernel(Tile, 'wasm')!.kernelFunc).toBe(ours);
    expect(getKernel(Conv2DBackpropInput, 'wasm')!.kernelFunc).toBe(oursInput);
  });
});
