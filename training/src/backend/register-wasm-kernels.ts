/**
 * Registers RadLocal's gradient kernels for the tfjs `wasm` backend. Call it after the wasm
 * backend is initialised (`await tf.setBackend('wasm')`): tfjs's own kernels that are kept as
 * fallbacks get their WASM bindings at initialisation. Calling it again is a no-op.
 */
import {
  engine,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  Cast,
  FusedBatchNorm,
  getKernel,
  Identity,
  Mean,
  Multiply,
  Add,
  Sub,
  Sum,
  registerKernel,
  Tile,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.ts';
import { createConv2dBackpropInputConfig } from './kernels/conv2d-backprop-input.ts';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './kernels/depthwise-conv2d-backprop.ts';
import { createTileConfig } from './kernels/tile.ts';
import { createAliasConfig } from './kernels/alias.ts';
import { createBatchNormConfig, createChannelBinaryConfig, createLeadingReduceConfig } from './kernels/channel-ops.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

const registered = new WeakSet<KernelFunc>();

function install(config: KernelConfig): void {
  if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(config);
  registered.add(config.kernelFunc);
}

function isOurs(kernelName: string): boolean {
  const current = getKernel(kernelName, 'wasm');
  return current !== undefined && registered.has(current.kernelFunc);
}

/** @returns the names of the kernels RadLocal provides for `wasm` (registered now or before). */
export function registerRadLocalWasmKernels(): string[] {
  if (!('wasm' in engine().registry)) {
    throw new RadLocalError(
      'BACKEND_UNAVAILABLE',
      "Expected the wasm backend to be initialised (await tf.setBackend('wasm')) before RadLocal's kernels are registered, but it is not.",
    );
  }
  if (!isOurs(Conv2DBackpropFilter)) install(conv2dBackpropFilterConfig);
  if (!isOurs(Conv2DBackpropInput)) {
    install(createConv2dBackpropInputConfig(getKernel(Conv2DBackpropInput, 'wasm')));
  }
  if (!isOurs(DepthwiseConv2dNativeBackpropInput)) install(depthwiseBackpropInputConfig);
  if (!isOurs(DepthwiseConv2dNativeBackpropFilter)) install(depthwiseBackpropFilterConfig);
  if (!isOurs(Tile)) install(createTileConfig(getKernel(Tile, 'wasm')));
  for (const name of [Multiply, Add, Sub] as const) {
    if (!isOurs(name)) install(createChannelBinaryConfig(name, getKernel(name, 'wasm')));
  }
  for (const name of [Sum, Mean] as const) {
    if (!isOurs(name)) install(createLeadingReduceConfig(name, getKernel(name, 'wasm')));
  }
  if (!isOurs(FusedBatchNorm)) install(createBatchNormConfig(getKernel(FusedBatchNorm, 'wasm')));
  for (const name of [Identity, Cast] as const) {
    if (!isOurs(name)) install(createAliasConfig(name, getKernel(name, 'wasm')));
  }
  return [
    Conv2DBackpropFilter,
    Conv2DBackpropInput,
    DepthwiseConv2dNativeBackpropInput,
    DepthwiseConv2dNativeBackpropFilter,
    Tile,
    Multiply,
    Add,
    Sub,
    Sum,
    Mean,
    FusedBatchNorm,
    Identity,
    Cast,
  ];
}
