/**
 * `npm run bench -- kernels [--repeats 7]`: RadLocal's WASM kernels against the kernel they
 * replace (tfjs 4.22's own wasm kernel), side by side on the shapes of the default model at
 * 128², batch 32 (and 256², batch 16 where marked). Best-of-rounds median milliseconds per
 * call and the speed-up ratio, as JSON. (Conv2DBackpropFilter has no tfjs wasm kernel to
 * compare with.)
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { registerRadLocalWasmKernels } from '../training/src/backend/register-wasm-kernels.ts';
import { RadLocalError } from '../core/errors/radlocal-error.ts';

interface Case {
  kernel: string;
  label: string;
  inputs: Record<string, number[]>;
  attrs: NamedAttrMap;
  /** Inputs drawn from [0.1, 1) instead of [−1, 1) (variances). */
  positive?: string[];
}

const CASES: Case[] = [
  { kernel: 'Tile', label: 'BN gradient [1,1,1,16] → [32,64,64,16]', inputs: { x: [1, 1, 1, 16] }, attrs: { reps: [32, 64, 64, 1] } },
  { kernel: 'Tile', label: 'BN gradient [1,1,1,64] → [32,16,16,64]', inputs: { x: [1, 1, 1, 64] }, attrs: { reps: [32, 16, 16, 1] } },
  {
    kernel: 'Conv2DBackpropInput',
    label: '3×3 /2 16→32 at 64²',
    inputs: { dy: [32, 32, 32, 32], filter: [3, 3, 16, 32] },
    attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [32, 64, 64, 16] },
  },
  {
    kernel: 'Conv2DBackpropInput',
    label: '3×3 /1 32→32 at 32²',
    inputs: { dy: [32, 32, 32, 32], filter: [3, 3, 32, 32] },
    attrs: { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: [32, 32, 32, 32] },
  },
  {
    kernel: 'Conv2DBackpropInput',
    label: 'stem 3×3 /2 1→16 at 128²',
    inputs: { dy: [32, 64, 64, 16], filter: [3, 3, 1, 16] },
    attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [32, 128, 128, 1] },
  },
  {
    kernel: 'Conv2DBackpropInput',
    label: 'projection 1×1 /2 16→32 at 64²',
    inputs: { dy: [32, 32, 32, 32], filter: [1, 1, 16, 32] },
    attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [32, 64, 64, 16] },
  },
  {
    kernel: 'Conv2DBackpropInput',
    label: '256²/16: 3×3 /2 16→32 at 128²',
    inputs: { dy: [16, 64, 64, 32], filter: [3, 3, 16, 32] },
    attrs: { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: [16, 128, 128, 16] },
  },
  { kernel: 'Multiply', label: 'BN gradient x · [C] [32,64,64,16]', inputs: { a: [32, 64, 64, 16], b: [16] }, attrs: {} },
  { kernel: 'Sub', label: 'moments x − [1,1,1,C] [32,32,32,32]', inputs: { a: [32, 32, 32, 32], b: [1, 1, 1, 32] }, attrs: {} },
  { kernel: 'Add', label: 'scalar + x [32,16,16,64]', inputs: { a: [], b: [32, 16, 16, 64] }, attrs: {} },
  { kernel: 'Sum', label: 'BN gradient Σ over [0,1,2] of [32,64,64,16]', inputs: { x: [32, 64, 64, 16] }, attrs: { axis: [0, 1, 2], keepDims: false } },
  { kernel: 'Sum', label: 'Σ over [0,1,2] of [32,16,16,64]', inputs: { x: [32, 16, 16, 64] }, attrs: { axis: [0, 1, 2], keepDims: false } },
  { kernel: 'Mean', label: 'moments mean over [0,1,2] of [32,32,32,32]', inputs: { x: [32, 32, 32, 32] }, attrs: { axis: [0, 1, 2], keepDims: true } },
  {
    kernel: 'FusedBatchNorm',
    label: 'batch norm [32,64,64,16]',
    inputs: { x: [32, 64, 64, 16], mean: [16], variance: [16], offset: [16], scale: [16] },
    attrs: { varianceEpsilon: 1e-3 },
    positive: ['variance'],
  },
  {
    kernel: 'FusedBatchNorm',
    label: '256²/16: batch norm [16,128,128,16]',
    inputs: { x: [16, 128, 128, 16], mean: [16], variance: [16], offset: [16], scale: [16] },
    attrs: { varianceEpsilon: 1e-3 },
    positive: ['variance'],
  },
  { kernel: 'Identity', label: 'clone [32,32,32,32]', inputs: { x: [32, 32, 32, 32] }, attrs: {} },
  { kernel: 'Cast', label: 'float32 → float32 [32,64,64,16]', inputs: { x: [32, 64, 64, 16] }, attrs: { dtype: 'float32' } },
];

function parseRepeats(args: string[]): number {
  if (args.length === 0) return 7;
  const value = Number(args[1]);
  if (args[0] !== '--repeats' || !Number.isInteger(value) || value < 1 || args.length > 2) {
    throw new RadLocalError('CLI_USAGE', `Expected "--repeats N" with N a positive integer, but got "${args.join(' ')}".`);
  }
  return value;
}

/**
 * Median ms of one kernel call. Every call gets freshly allocated inputs (copied outside the
 * timing), as in training, so no kernel profits from XNNPACK's per-tensor operator cache.
 */
function timeKernel(config: KernelConfig, backend: BackendWasm, inputs: Record<string, tf.Tensor>, attrs: NamedAttrMap, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const fresh = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, tf.add(t, 0)]));
    const start = performance.now();
    const out = config.kernelFunc({ inputs: fresh, attrs, backend }) as TensorInfo;
    times.push(performance.now() - start);
    backend.disposeData(out.dataId);
    tf.dispose(Object.values(fresh));
  }
  return times.slice(1).sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

export async function run(args: string[]): Promise<void> {
  const repeats = parseRepeats(args);
  if (!(await tf.setBackend('wasm'))) throw new RadLocalError('BACKEND_UNAVAILABLE', 'Expected the wasm backend to initialise, but it did not.');
  const backend = tf.backend() as BackendWasm;
  const originals = new Map<string, KernelConfig | undefined>();
  for (const c of CASES) originals.set(c.kernel, getKernel(c.kernel, 'wasm'));
  registerRadLocalWasmKernels();
  const loadBefore = loadavg();
  const results = CASES.map((c) => {
    const tensors = Object.fromEntries(
      Object.entries(c.inputs).map(([name, shape]) => [name, c.positive?.includes(name) ? tf.randomUniform(shape, 0.1, 1) : tf.randomUniform(shape, -1, 1)]),
    );
    const original = originals.get(c.kernel)!;
    const ours = getKernel(c.kernel, 'wasm')!;
    // Interleave the two so that load changes hit both.
    const tfjsMs: number[] = [];
    const radlocalMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      tfjsMs.push(timeKernel(original, backend, tensors, c.attrs, repeats));
      radlocalMs.push(timeKernel(ours, backend, tensors, c.attrs, repeats));
    }
    tf.dispose(Object.values(tensors));
    const tfjs = Math.min(...tfjsMs);
    const radlocal = Math.min(...radlocalMs);
    return { kernel: c.kernel, shape: c.label, tfjsMs: round(tfjs), radlocalMs: round(radlocal), speedup: round(tfjs / radlocal, 1) };
  });
  process.stdout.write(`${JSON.stringify({ benchmark: 'kernels', repeats, results, loadAverage: { before: loadBefore, after: loadavg() } }, null, 2)}\n`);
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
