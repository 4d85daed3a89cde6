import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2DBackpropFilter, getKernel } from '@tensorflow/tfjs-core';
import { expectTypedError } from '../../../test/typed-error-code.ts';
import { selectBackend, type BackendChoice } from './select-backend.ts';

describe('selectBackend', () => {
  it('auto falls back to WASM with RadLocal kernels when tfjs-node is not installed', async () => {
    const notInstalled = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const selection = await selectBackend('auto', { loadTfjsNode: () => Promise.reject(notInstalled) });
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.reason).toMatch(/^auto: @tensorflow\/tfjs-node is not installed; using WebAssembly \(SIMD\)/);
    expect(getKernel(Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('auto with the real import falls back too (tfjs-node is an uninstallable optional dependency here)', async () => {
    const selection = await selectBackend('auto');
    expect(selection.backend).toBe('wasm');
    expect(selection.reason).toContain('@tensorflow/tfjs-node is not installed');
  });

  it('auto names a tfjs-node that is installed but broken', async () => {
    const broken = new Error('libtensorflow.so.2: cannot open shared object file');
    const selection = await selectBackend('auto', { loadTfjsNode: () => Promise.reject(broken) });
    expect(selection.backend).toBe('wasm');
    expect(selection.reason).toContain('failed to load (libtensorflow.so.2: cannot open shared object file)');
  });

  it('tensorflow without tfjs-node is a typed BACKEND_UNAVAILABLE error', async () => {
    await expectTypedError(selectBackend('tensorflow'), 'BACKEND_UNAVAILABLE', /tensorflow backend was requested but cannot run: @tensorflow\/tfjs-node is not installed/);
  });

  it('cpu and wasm are honoured when asked for', async () => {
    expect(await selectBackend('cpu')).toEqual({ backend: 'cpu', reason: 'requested: the pure-JavaScript CPU backend (slow)' });
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown choice with CLI_USAGE', async () => {
    const error = await expectTypedError(selectBackend('webgpu' as BackendChoice), 'CLI_USAGE');
    expect(error.message).toBe('Expected --backend to be one of auto, tensorflow, wasm, cpu, but got "webgpu".');
  });
});
