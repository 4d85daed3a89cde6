/**
 * Tile for the `wasm` backend, fast path for the broadcast that batch-norm gradients build:
 * x [1, 1, 1, C] tiled by [B, H, W, 1] is the flat x repeated B·H·W times, written with a
 * doubling memcpy (copyWithin) instead of tfjs's per-element index arithmetic (which took
 * ~0.4 s per training step of the default model at 128², batch 32).
 *
 * Fast path: every axis with reps > 1 precedes every axis of x with size > 1. Anything else
 * goes to tfjs's own kernel. Any dtype; output shape x.shape[i]·reps[i].
 */
import { Tile, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';

interface TileArgs {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: TileAttrs;
}

/** Number of flat copies of x that make the tiled output, or undefined if it is not one. */
export function flatRepeatCount(shape: readonly number[], reps: readonly number[]): number | undefined {
  let copies = 1;
  let sawData = false;
  for (let i = 0; i < shape.length; i++) {
    const rep = reps[i] ?? 1;
    if (rep > 1 && sawData) return undefined;
    if (shape[i]! > 1) sawData = true;
    copies *= rep;
  }
  return copies;
}

export function createTileConfig(fallback: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: TileArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const copies = x.dtype === 'string' ? undefined : flatRepeatCount(x.shape, attrs.reps);
    if (copies === undefined) {
      if (fallback === undefined) {
        throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected tfjs's Tile kernel for wasm to handle reps ${JSON.stringify(attrs.reps)}, but it is missing.`);
      }
      return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const outShape = x.shape.map((size, i) => size * (attrs.reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    const target = backend.typedArrayFromHeap(out);
    const source = backend.typedArrayFromHeap(x);
    target.set(source, 0);
    const total = target.length;
    let filled = source.length;
    while (filled < total) {
      const chunk = Math.min(filled, total - filled);
      target.copyWithin(filled, 0, chunk);
      filled += chunk;
    }
    return out;
  };
  return { kernelName: Tile, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
