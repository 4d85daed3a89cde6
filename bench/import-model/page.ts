/**
 * Browser half of `npm run bench -- import-model`: fetches the generated graph model from the
 * bench server, checks its SHA-256 (as the viewer checks a model's files), builds it with
 * core's graph loader on the app's WASM backend setup, then times warm inferences through
 * the graph inference path. Publishes the load figures on `window.benchResult` and the warm
 * runs as `window.benchWarm(runs)` (so the bench can read the browser's CPU time around them).
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseGraphModelJson } from '../../core/model/graph-def.ts';
import { graphInferenceGraph, loadGraphModelFromMemory } from '../../core/model/graph-model.ts';
import type { GraphModelSpec } from '../../core/model/graph-spec.ts';
import { EMBEDDING_OUTPUT, FEATURES_OUTPUT, LOGITS_OUTPUT } from '../../core/model/inference-graph.ts';
import { sha256Hex } from '../../core/model/sha256.ts';
import { activateBackend } from '../../web/src/features/findings/tfjs-backends.ts';

interface BenchSetup {
  spec: GraphModelSpec;
  size: number;
  sha256: Record<string, string>;
}

async function bytes(path: string): Promise<Uint8Array> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function main(): Promise<Record<string, unknown>> {
  const setup = (await (await fetch('model/bench-setup.json')).json()) as BenchSetup;
  await activateBackend('wasm');
  const t0 = performance.now();
  const files = new Map<string, Uint8Array>();
  for (const path of Object.keys(setup.sha256)) files.set(path, await bytes(`model/${path}`));
  const t1 = performance.now();
  for (const [path, expected] of Object.entries(setup.sha256)) {
    if ((await sha256Hex(files.get(path) as Uint8Array)) !== expected) throw new Error(`${path}: SHA-256 mismatch`);
  }
  const t2 = performance.now();
  const json = parseGraphModelJson(files.get('model.json') as Uint8Array, 'model.json');
  const model = await loadGraphModelFromMemory(json, files, '', 'model.json');
  const graph = graphInferenceGraph(model, setup.spec, { layout: 'nchw', channels: 1 }, setup.size, setup.size);
  const t3 = performance.now();
  const input = new Float32Array(setup.size * setup.size).map((_, i) => Math.sin(i) * 512);
  const names = [LOGITS_OUTPUT, FEATURES_OUTPUT, EMBEDDING_OUTPUT];
  await graph.run(input, 1, names); // first inference: kernels compiled, buffers allocated
  const t4 = performance.now();
  (window as unknown as { benchWarm: (runs: number) => Promise<{ warmMs: number[]; logits: number[] }> }).benchWarm = async (runs) => {
    const warmMs: number[] = [];
    let logits: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      const out = await graph.run(input, 1, names);
      warmMs.push(performance.now() - s);
      logits = Array.from(out[LOGITS_OUTPUT]!.data.slice(0, 3));
    }
    return { warmMs, logits };
  };
  return {
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    fetchMs: t1 - t0,
    sha256Ms: t2 - t1,
    buildMs: t3 - t2,
    loadMs: t3 - t0,
    firstInferenceMs: t4 - t3,
  };
}

const w = window as unknown as { benchResult?: unknown };
main().then(
  (result) => {
    w.benchResult = result;
    document.getElementById('status')!.textContent = 'done';
  },
  (error: Error) => {
    w.benchResult = { error: error.message };
    document.getElementById('status')!.textContent = `failed: ${error.message}`;
  },
);
