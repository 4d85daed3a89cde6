/**
 * `radlocal import-model` on a graph model, through the real CLI: a channels-first model shaped
 * like a TorchXRayVision export ([N, 1, 64, 64], intensities in [−1024, 1024], six named sigmoid
 * outputs of which four are imported, renamed), calibrated on phantoms. The folder loads through
 * core's loader; its scores equal the raw model run by tfjs on the same inputs; a softmax model
 * is refused by the CLI with its typed error.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import { predictBatch } from '../core/model/predict.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';
import { smallGraphModel, GraphModelBuilder } from './graph-model-builder.ts';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs'), ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 24 });
const OUTPUT_LABELS = ['Atelectasis', 'Cardiomegaly', 'Effusion', 'Pneumothorax', 'Mass', 'Nodule'];

let dir: string;
let data: string;
let from: string;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'radlocal-graph-import-'));
  data = join(dir, 'phantoms');
  await cli(['synth', '--out', data, '--count', '40', '--seed', '21', '--size', '128']);
  from = join(dir, 'converted');
  mkdirSync(from);
  const built = smallGraphModel({ layout: 'nchw', channels: 1, size: 64, outputs: 6, seed: 3 });
  writeFileSync(join(from, 'model.json'), JSON.stringify(built.json));
  writeFileSync(join(from, 'group1-shard1of1.bin'), built.shard);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('radlocal import-model --from <graph model>', () => {
  it('imports a subset of the outputs, renamed, with the NCHW adapter and an exact CAM; scores = the raw model through tfjs', async () => {
    const out = join(dir, 'models', 'xrv-like');
    const { stdout } = await cli([
      'import-model', '--from', from, '--out', out, '--data', data, '--json', '--backend', 'wasm',
      '--output-labels', OUTPUT_LABELS.join(','),
      '--labels', 'cardiomegaly=Cardiomegaly,pleural_effusion=Effusion,pneumothorax=#3,nodule=Nodule',
      '--intensity=-1024,1024', '--fit', 'center-crop',
    ]);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      format: 'graph-model',
      labels: ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'],
      input: { height: 64, width: 64, channels: 1 },
      outputs: 'probabilities',
      sigmoidRemoved: true,
      adapter: { layout: 'nchw', channels: 1, intensity: { kind: 'range', min: -1024, max: 1024 } },
      heatmap: 'class-activation',
      ignoredOutputs: ['Atelectasis', 'Mass'],
    });
    // The converter's files are kept byte for byte.
    expect(readFileSync(join(out, 'model.json'))).toEqual(readFileSync(join(from, 'model.json')));

    const loaded = await loadModelFolder(out);
    const { card } = loaded;
    expect(card.architecture.format).toBe('graph-model');
    expect(card.architecture.graph?.outputColumns).toEqual([1, 2, 3, 5]);
    expect(card.preprocessing.fit).toBe('center-crop');
    expect(card.ood.layers.length).toBeGreaterThan(0);

    const files = readFileSync(join(data, 'labels.csv'), 'utf8').trim().split('\n').slice(1, 4).map((row) => join(data, row.split(',')[0] as string));
    const images = await Promise.all(files.map(async (f) => decodeDicom(new Uint8Array(readFileSync(f)))));
    const inputs = images.map((image) => preprocessFrame(image, 0, card.preprocessing).data);
    const batch = Float32Array.from(inputs.flatMap((x) => Array.from(x)));
    const predictions = await predictBatch(loaded, batch, inputs.length, { cam: true });

    const raw = await loadGraphModel(
      tf.io.fromMemory({ modelTopology: JSON.parse(readFileSync(join(from, 'model.json'), 'utf8')).modelTopology, weightSpecs: JSON.parse(readFileSync(join(from, 'model.json'), 'utf8')).weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(join(from, 'group1-shard1of1.bin'))).buffer }),
    );
    const probs = (await (raw.predict(tf.tensor4d(batch, [inputs.length, 1, 64, 64])) as tf.Tensor).data()) as Float32Array;
    let worst = 0;
    predictions.forEach((p, i) =>
      [1, 2, 3, 5].forEach((column, l) => {
        const logit = p.logitValues[l] as number;
        worst = Math.max(worst, Math.abs(1 / (1 + Math.exp(-logit)) - (probs[i * 6 + column] as number)));
      }),
    );
    console.info(`imported graph model: max |sigmoid(logit) − raw tfjs| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
    for (const p of predictions) {
      expect(Object.keys(p.cam ?? {})).toEqual(card.labels);
      expect(p.cam?.cardiomegaly?.width).toBe(64);
    }
    loaded.dispose();
    raw.dispose();
  }, 240_000);

  it('--heatmap none: the card says so and predictions carry no heatmap', async () => {
    const out = join(dir, 'models', 'no-heatmap');
    await cli(['import-model', '--from', from, '--out', out, '--data', data, '--backend', 'wasm', '--labels', 'cardiomegaly=#1', '--heatmap', 'none']);
    const loaded = await loadModelFolder(out);
    expect(loaded.card.architecture.graph?.cam).toEqual({ kind: 'none', reason: 'switched off at import (--heatmap none)' });
    const file = readFileSync(join(data, 'labels.csv'), 'utf8').trim().split('\n')[1]!.split(',')[0] as string;
    const input = preprocessFrame(await decodeDicom(new Uint8Array(readFileSync(join(data, file)))), 0, loaded.card.preprocessing).data;
    const [prediction] = await predictBatch(loaded, input, 1, { cam: true });
    expect(prediction?.cam).toBeUndefined();
    loaded.dispose();
  }, 120_000);

  it('refuses a softmax graph model with MODEL_OUTPUT_UNSUPPORTED and says how to fix the export', async () => {
    const g = new GraphModelBuilder(5);
    const input = g.placeholder('image', [-1, 32, 32, 1]);
    const features = g.conv(input, 1, 8, 3, 2, { relu: true });
    const logits = g.dense(g.mean(features, [1, 2]), 8, 3);
    const output = g.op('Identity', [g.op('Softmax', [logits])], {}, 'Identity');
    const built = g.build({ input, inputShape: [-1, 32, 32, 1], output, outputShape: [-1, 3] });
    const softmax = join(dir, 'softmax');
    mkdirSync(softmax);
    writeFileSync(join(softmax, 'model.json'), JSON.stringify(built.json));
    writeFileSync(join(softmax, 'group1-shard1of1.bin'), built.shard);
    const failed = await cli(['import-model', '--from', softmax, '--out', join(dir, 'models', 'softmax'), '--data', data, '--labels', 'a,b,c', '--json']).catch((e: { stderr: string; code: number }) => e);
    expect('code' in failed && failed.code).not.toBe(0);
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr).toContain('MODEL_OUTPUT_UNSUPPORTED');
    expect(stderr).toMatch(/one sigmoid output per finding/);
  }, 120_000);
});
