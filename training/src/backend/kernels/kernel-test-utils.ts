/**
 * Test helpers for RadLocal's wasm kernels: seeded random data and a run of one kernel on the
 * cpu backend (reference) and on wasm with the same input values.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Registers the gradient functions (tfjs-core alone has none in its Node bundle).
import '@tensorflow/tfjs';
import { seededRandom } from '../../../../core/random/seeded-random.ts';
import { selectBackend } from '../select-backend.ts';

/** Deterministic uniform values in [−1, 1) (the project's seeded mulberry32). */
export function seededValues(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

export interface KernelInput {
  shape: number[];
  values: Float32Array;
}

export function randomInput(shape: number[], seed: number): KernelInput {
  return { shape, values: seededValues(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Runs `kernelName` on `backend` and returns the output values and shape. */
export async function runKernelOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, KernelInput>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; values: Float32Array }> {
  if (backend === 'wasm') await selectBackend('wasm');
  else await tf.setBackend('cpu');
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, input] of Object.entries(inputs)) tensors[name] = tf.tensor(input.values, input.shape);
    // attrs are plain kernel attributes (numbers, strings, arrays), as NamedAttrMap expects.
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return { shape: out.shape, values: out.dataSync() as Float32Array };
  });
}

/** ‖a − b‖∞ / ‖b‖∞: the error relative to the reference's largest magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs one kernel on cpu and wasm; returns both shapes and the relative error. */
export async function compareWithCpu(
  kernelName: string,
  inputs: Record<string, KernelInput>,
  attrs: Record<string, unknown>,
): Promise<{ cpuShape: number[]; wasmShape: number[]; error: number }> {
  const reference = await runKernelOn('cpu', kernelName, inputs, attrs);
  const actual = await runKernelOn('wasm', kernelName, inputs, attrs);
  return { cpuShape: reference.shape, wasmShape: actual.shape, error: relativeError(actual.values, reference.values) };
}

/**
 * Takes `steps` optimizer steps after a first one and reports the tensor and WASM-buffer
 * counts before and after (equal when nothing leaks) and the first and last losses.
 */
export function stepsWithoutLeak(
  optimizer: tf.Optimizer,
  loss: () => tf.Scalar,
  steps: number,
): { tensors: [number, number]; buffers: [number, number]; firstLoss: number; lastLoss: number } {
  const lossOf = (): number => {
    const value = optimizer.minimize(loss, true)!;
    const result = value.dataSync()[0]!;
    value.dispose();
    return result;
  };
  const firstLoss = lossOf();
  const tensors = tf.memory().numTensors;
  const buffers = tf.engine().backend.numDataIds();
  let lastLoss = firstLoss;
  for (let step = 0; step < steps; step++) lastLoss = lossOf();
  return { tensors: [tensors, tf.memory().numTensors], buffers: [buffers, tf.engine().backend.numDataIds()], firstLoss, lastLoss };
}
