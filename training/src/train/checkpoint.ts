/**
 * Training checkpoints (Node): model weights, Adam state and the loop state, so `--resume`
 * continues a run and Ctrl-C loses at most the current epoch. Layout in `<out>/.checkpoint/`:
 *   state.json  {state, options, weights: [{shape}], optimizer: [{name, shape}], best?: true}
 *   last.bin    model weights then optimizer weights, float32, concatenated
 *   best.bin    the best-validation model weights
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes } from '../../../core/bytes/concat-bytes.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { restoreOptimizer, restoreWeights, weightSnapshot, type OptimizerVariable, type TrainState } from './train-loop.ts';

export const CHECKPOINT_DIR = '.checkpoint';

interface CheckpointJson {
  state: TrainState;
  /** The run's settings (compared on resume). */
  run: Record<string, unknown>;
  weights: number[][];
  optimizer: { name: string; shape: number[] }[];
}

function concat(arrays: readonly Float32Array[]): Uint8Array {
  return concatBytes(arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
}

function split(bytes: Uint8Array, shapes: readonly number[][]): Float32Array[] {
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Float32Array[] = [];
  let offset = 0;
  for (const shape of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push(all.slice(offset, offset + size));
    offset += size;
  }
  if (offset !== all.length) throw new RadLocalError('MODEL_LOAD_FAILED', `Expected ${offset} checkpoint values, but the file holds ${all.length}.`);
  return out;
}

async function atomicWrite(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

/** Saves `model`'s weights with Adam's state (`optimizerSnapshot`, or a replica worker's) and the loop state. */
export async function saveCheckpoint(outDir: string, model: tfl.LayersModel, optimizerState: readonly OptimizerVariable[], state: TrainState, run: Record<string, unknown>): Promise<void> {
  const dir = join(outDir, CHECKPOINT_DIR);
  await mkdir(dir, { recursive: true });
  const json: CheckpointJson = {
    state,
    run,
    weights: model.weights.map((w) => [...w.shape] as number[]),
    optimizer: optimizerState.map((w) => ({ name: w.name, shape: w.shape })),
  };
  await atomicWrite(join(dir, 'last.bin'), concat([...weightSnapshot(model), ...optimizerState.map((w) => w.values)]));
  await atomicWrite(join(dir, 'state.json'), JSON.stringify(json));
}

export async function saveBestWeights(outDir: string, weights: readonly Float32Array[]): Promise<void> {
  const dir = join(outDir, CHECKPOINT_DIR);
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'best.bin'), concat(weights));
}

export function hasCheckpoint(outDir: string): boolean {
  return existsSync(join(outDir, CHECKPOINT_DIR, 'state.json'));
}

/** Restores model + optimizer from `<out>/.checkpoint`; returns the loop state and the run settings. */
export async function loadCheckpoint(outDir: string, model: tfl.LayersModel, optimizer: tf.Optimizer): Promise<{ state: TrainState; run: Record<string, unknown> }> {
  const dir = join(outDir, CHECKPOINT_DIR);
  if (!hasCheckpoint(outDir)) throw new RadLocalError('CLI_USAGE', `Expected a checkpoint to resume in ${dir}, but there is none.`);
  const json = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as CheckpointJson;
  const modelShapes = model.weights.map((w) => [...w.shape] as number[]);
  if (JSON.stringify(modelShapes) !== JSON.stringify(json.weights)) {
    throw new RadLocalError('MODEL_INPUT_MISMATCH', 'The checkpoint was saved from a different architecture (weight shapes differ); resume with the same --image-size and model options.');
  }
  const values = split(new Uint8Array(await readFile(join(dir, 'last.bin'))), [...json.weights, ...json.optimizer.map((o) => o.shape)]);
  restoreWeights(model, values.slice(0, json.weights.length));
  await restoreOptimizer(optimizer, json.optimizer.map((o, i) => ({ ...o, values: values[json.weights.length + i] as Float32Array })));
  return { state: json.state, run: json.run };
}

export async function loadBestWeights(outDir: string, model: tfl.LayersModel): Promise<Float32Array[]> {
  const bytes = new Uint8Array(await readFile(join(outDir, CHECKPOINT_DIR, 'best.bin')));
  return split(bytes, model.weights.map((w) => [...w.shape] as number[]));
}
