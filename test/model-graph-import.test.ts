/**
 * Graph models trained by others, as published on npm (@vladmandic/human's models, read from
 * node_modules): inspection (input layout, channels, sigmoid vs softmax, feature maps, CAM
 * kind), scores through RadLocal's graph inference path vs the raw model run with tfjs
 * directly, and the refusals with their typed errors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import { parseGraphModelJson, type GraphModelJson } from '../core/model/graph-def.ts';
import { graphOodTaps, inspectGraphModel, type GraphInspectOptions } from '../core/model/graph-inspect.ts';
import { camKernel, graphInferenceGraph, loadGraphModelFromMemory } from '../core/model/graph-model.ts';
import type { GraphModelSpec } from '../core/model/graph-spec.ts';
import { EMBEDDING_OUTPUT, FEATURES_OUTPUT, LOGITS_OUTPUT } from '../core/model/inference-graph.ts';
import { channelMoments, oodOutputName, topBottomMeans } from '../core/model/ood-features.ts';
import { INTENSITY_PRESETS, type InputAdapter } from '../core/preprocess/input-adapter.ts';
import { DEFAULT_PREPROCESS_PARAMS } from '../core/preprocess/params.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { pydicomDir, REPO_ROOT } from './fixtures/external-fixtures.ts';
import { smallGraphModel } from './graph-model-builder.ts';
import { codeOf, expectTypedError } from './typed-error-code.ts';

const HUMAN = join(REPO_ROOT, 'node_modules', '@vladmandic', 'human', 'models');

/** The model's files as the importer reads them (model.json + shards), keyed by relative path. */
function filesOf(name: string): { json: GraphModelJson; files: Map<string, Uint8Array> } {
  const bytes = new Uint8Array(readFileSync(join(HUMAN, `${name}.json`)));
  const json = parseGraphModelJson(bytes, `${name}.json`);
  const files = new Map<string, Uint8Array>();
  for (const group of json.weightsManifest) for (const path of group.paths) files.set(path, new Uint8Array(readFileSync(join(HUMAN, path))));
  return { json, files };
}

/** The raw model, loaded and run by tfjs alone (no RadLocal code). */
async function rawModel(name: string): Promise<GraphModel> {
  const json = JSON.parse(readFileSync(join(HUMAN, `${name}.json`), 'utf8')) as tf.io.ModelJSON;
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(HUMAN, p))));
  const weightData = tf.io.concatenateArrayBuffers(shards.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  return loadGraphModel(tf.io.fromMemory({ ...json, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData } as tf.io.ModelArtifacts));
}

async function inspected(name: string, options: GraphInspectOptions = {}) {
  const { json, files } = filesOf(name);
  const model = await loadGraphModelFromMemory(json, files, '', `${name}.json`);
  return { json, model, inspection: await inspectGraphModel(json, model, options) };
}

/** Real images (pydicom's MR and CT) through core/preprocess with the model's adapter: n inputs concatenated. */
let images: Awaited<ReturnType<typeof decodeDicom>>[] = [];
function inputs(size: number, adapter: InputAdapter): Float32Array {
  const parts = images.map((image) => preprocessFrame(image, 0, { ...DEFAULT_PREPROCESS_PARAMS, height: size, width: size, adapter }).data);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.forEach((p, i) => out.set(p, i * (p.length)));
  return out;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * Runs the real images through RadLocal's graph inference path (RGB, [0, 1]) and through the
 * raw model (its `node`, or its signature output), and returns max |sigmoid(logit) − raw|.
 */
async function sigmoidVsRaw(name: string, model: GraphModel, spec: Omit<GraphModelSpec, 'outputColumns'>, size: number, node?: string) {
  const adapter: InputAdapter = { layout: 'nhwc', channels: 3, intensity: INTENSITY_PRESETS['0,1'] };
  const graph = graphInferenceGraph(model, { ...spec, outputColumns: [0] }, adapter, size, size);
  const x = inputs(size, adapter);
  const out = await graph.run(x, images.length, [LOGITS_OUTPUT, FEATURES_OUTPUT, EMBEDDING_OUTPUT]);
  const raw = await rawModel(name);
  const xt = tf.tensor4d(x, [images.length, size, size, 3]);
  const expected = (await ((node ? raw.execute(xt, node) : raw.predict(xt)) as tf.Tensor).data()) as Float32Array;
  const worst = Math.max(...Array.from(expected, (p, i) => Math.abs(sigmoid(out[LOGITS_OUTPUT]!.data[i] as number) - p)));
  console.info(`${name}: max |score − raw tfjs| = ${worst.toExponential(2)} over ${images.length} images`);
  xt.dispose();
  graph.dispose();
  raw.dispose();
  return { worst, out };
}

beforeAll(async () => {
  await selectBackend('wasm');
  images = await Promise.all(['MR_small.dcm', 'CT_small.dcm', 'JPEG2000.dcm'].map(async (f) => decodeDicom(new Uint8Array(readFileSync(join(pydicomDir(), f))))));
});

describe('third-party graph models (@vladmandic/human 3.3.6)', () => {
  it('antispoof: RGB 128² NHWC sigmoid head behind a flatten → logits from the Sigmoid input, feature-energy map; scores = raw tfjs', async () => {
    const { model, inspection } = await inspected('antispoof');
    expect(inspection.input).toEqual({ node: 'conv2d_input', height: 128, width: 128, channels: 3, layout: 'nhwc', batchSize: null });
    expect(inspection.output).toMatchObject({ kind: 'sigmoid', count: 1 });
    expect(inspection.spec.logitsNode).toBe('StatefulPartitionedCall/sequential/dense_1/BiasAdd');
    expect(inspection.spec.featureNode).toBe('StatefulPartitionedCall/sequential/activation_2/Relu'); // before the last MaxPool + flatten
    expect(inspection.spec.cam.kind).toBe('feature-energy');
    expect(inspection.spec.cam.reason).toMatch(/not linear/);

    const { worst, out } = await sigmoidVsRaw('antispoof', model, inspection.spec, 128);
    expect(worst).toBeLessThan(1e-6);
    expect(out[FEATURES_OUTPUT]!.shape.slice(1)).toEqual(inspection.spec.featureShape);
    expect(out[EMBEDDING_OUTPUT]!.shape).toEqual([images.length, inspection.spec.featureShape![2]]);
  });

  it('faceres: several signature outputs → refused until one is named; the gender sigmoid then imports (Dense→ReLU→Dense head: feature-energy)', async () => {
    const { json, files } = filesOf('faceres');
    const model = await loadGraphModelFromMemory(json, files, '', 'faceres.json');
    await expectTypedError(inspectGraphModel(json, model), 'MODEL_OUTPUT_UNSUPPORTED', /3 outputs .*--output-node/);
    const inspection = await inspectGraphModel(json, model, { outputNode: 'gender_pred/Sigmoid' });
    expect(inspection.input).toMatchObject({ height: 224, width: 224, channels: 3, layout: 'nhwc' });
    expect(inspection.spec).toMatchObject({ logitsNode: 'gender_pred/BiasAdd', featureNode: 'conv_pw_13_relu/clip_by_value', featureLayout: 'nhwc', featureShape: [7, 7, 1024] });
    expect(inspection.spec.cam.kind).toBe('feature-energy');

    expect((await sigmoidVsRaw('faceres', model, inspection.spec, 224, 'gender_pred/Sigmoid')).worst).toBeLessThan(1e-6);
  });

  it('emotion: grey 64² softmax head is refused (multi-label findings); its pre-softmax logits named explicitly import with an exact CAM', async () => {
    const { json, files } = filesOf('emotion');
    const model = await loadGraphModelFromMemory(json, files, '', 'emotion.json');
    await expectTypedError(
      inspectGraphModel(json, model),
      'MODEL_OUTPUT_UNSUPPORTED',
      /Softmax: its scores compete .*one sigmoid output per finding.*--output-node "StatefulPartitionedCall\/model_1\/global_average_pooling2d_1\/Mean" --outputs logits/,
    );

    const mean = 'StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean';
    const inspection = await inspectGraphModel(json, model, { outputNode: mean, outputs: 'logits' });
    expect(inspection.input).toMatchObject({ height: 64, width: 64, channels: 1, layout: 'nhwc' });
    expect(inspection.spec).toMatchObject({ logitsNode: mean, featureNode: 'StatefulPartitionedCall/model_1/conv2d_5/BiasAdd', featureShape: [8, 8, 7], cam: { kind: 'class-activation' } });

    // Labels: a subset of the 7 columns, in another order.
    const adapter: InputAdapter = { layout: 'nhwc', channels: 1, intensity: INTENSITY_PRESETS['0,1'] };
    const graph = graphInferenceGraph(model, { ...inspection.spec, outputColumns: [3, 0] }, adapter, 64, 64);
    const x = inputs(64, adapter);
    const out = await graph.run(x, images.length, [LOGITS_OUTPUT]);
    const raw = await rawModel('emotion');
    const probs = (await (raw.predict(tf.tensor4d(x, [images.length, 64, 64, 1])) as tf.Tensor).data()) as Float32Array;
    const logitsRaw = (await (raw.execute(tf.tensor4d(x, [images.length, 64, 64, 1]), mean) as tf.Tensor).data()) as Float32Array;
    for (let i = 0; i < images.length; i++) {
      expect(out[LOGITS_OUTPUT]!.data[i * 2]).toBeCloseTo(logitsRaw[i * 7 + 3] as number, 5);
      expect(out[LOGITS_OUTPUT]!.data[i * 2 + 1]).toBeCloseTo(logitsRaw[i * 7] as number, 5);
      // The raw model's softmax is the softmax of these logits.
      const row = Array.from(logitsRaw.subarray(i * 7, i * 7 + 7));
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      expect(Math.exp(row[3] as number) / z).toBeCloseTo(probs[i * 7 + 3] as number, 6);
    }
    graph.dispose();
    raw.dispose();
  });

  it('liveness: a 2-way softmax is refused with MODEL_OUTPUT_UNSUPPORTED', async () => {
    const { json, files } = filesOf('liveness');
    const model = await loadGraphModelFromMemory(json, files, '', 'liveness.json');
    expect(await codeOf(inspectGraphModel(json, model))).toBe('MODEL_OUTPUT_UNSUPPORTED');
    model.dispose();
  });

  it('an export without a signature is refused with MODEL_SIGNATURE_MISSING naming the candidates, and imports once both nodes are named', async () => {
    const { json, files } = filesOf('antispoof');
    const unsigned: GraphModelJson = { ...json, signature: undefined };
    const model = await loadGraphModelFromMemory(unsigned, files, '', 'antispoof.json');
    await expectTypedError(
      inspectGraphModel(unsigned, model),
      'MODEL_SIGNATURE_MISSING',
      /--signature_name=serving_default.*"conv2d_input".*"StatefulPartitionedCall\/sequential\/activation_4\/Sigmoid"/,
    );
    const named = await inspectGraphModel(unsigned, model, { inputNode: 'conv2d_input', outputNode: 'StatefulPartitionedCall/sequential/activation_4/Sigmoid' });
    expect(named.output.kind).toBe('sigmoid');
    model.dispose();
  });
});

describe('generated channels-first graph models (shaped like PyTorch → ONNX → onnx-tf exports)', () => {
  /** Loads a generated model twice: through RadLocal, and raw through tfjs alone. */
  async function generated(o: Parameters<typeof smallGraphModel>[0]) {
    const built = smallGraphModel(o);
    const model = await loadGraphModelFromMemory(built.json, new Map([['group1-shard1of1.bin', built.shard]]), '', 'model.json');
    const raw = await loadGraphModel(
      tf.io.fromMemory({ modelTopology: built.json.modelTopology, weightSpecs: built.json.weightsManifest.flatMap((g) => g.weights), weightData: built.shard.slice().buffer, signature: built.json.signature } as tf.io.ModelArtifacts),
    );
    return { ...built, model, raw };
  }

  it('NCHW grey [N, 1, 32, 32], dynamic batch: NCHW feature maps found from the Mean axes, exact CAM (head verified), scores = raw tfjs', async () => {
    const { model, raw, featureNode, logitsNode } = await generated({ layout: 'nchw', channels: 1, size: 32, outputs: 4 });
    const inspection = await inspectGraphModel(JSON.parse(JSON.stringify(smallGraphModel({ layout: 'nchw', channels: 1, size: 32, outputs: 4 }).json)), model);
    expect(inspection.input).toEqual({ node: 'input', height: 32, width: 32, channels: 1, layout: 'nchw', batchSize: null });
    expect(inspection.spec).toMatchObject({ logitsNode, featureNode, featureLayout: 'nchw', featureShape: [16, 16, 16], cam: { kind: 'class-activation', kernelTransposed: false } });

    const adapter: InputAdapter = { layout: 'nchw', channels: 1, intensity: INTENSITY_PRESETS['-1024,1024'] };
    const spec = { ...inspection.spec, outputColumns: [2, 0, 3] };
    const graph = graphInferenceGraph(model, spec, adapter, 32, 32);
    const x = inputs(32, adapter);
    const n = images.length;
    const out = await graph.run(x, n, [LOGITS_OUTPUT, FEATURES_OUTPUT, EMBEDDING_OUTPUT]);
    const probs = (await (raw.predict(tf.tensor4d(x, [n, 1, 32, 32])) as tf.Tensor).data()) as Float32Array;
    let worst = 0;
    for (let i = 0; i < n; i++) spec.outputColumns.forEach((c, l) => (worst = Math.max(worst, Math.abs(sigmoid(out[LOGITS_OUTPUT]!.data[i * 3 + l] as number) - (probs[i * 4 + c] as number)))));
    expect(worst).toBeLessThan(1e-6);
    console.info(`generated NCHW grey: max |score − raw tfjs| = ${worst.toExponential(2)}`);

    // Exact CAM: the pooled features through the kernel give the logits up to the bias, which is the same for every image.
    const kernel = camKernel(model, spec, 16) as Float32Array;
    const emb = out[EMBEDDING_OUTPUT]!.data;
    const bias = (i: number, l: number): number => {
      let s = 0;
      for (let k = 0; k < 16; k++) s += (emb[i * 16 + k] as number) * (kernel[k * 3 + l] as number);
      return (out[LOGITS_OUTPUT]!.data[i * 3 + l] as number) - s;
    };
    for (let l = 0; l < 3; l++) for (let i = 1; i < n; i++) expect(bias(i, l)).toBeCloseTo(bias(0, l), 4);
    expect(out[FEATURES_OUTPUT]!.shape).toEqual([n, 16, 16, 16]);
    graph.dispose();
    raw.dispose();
  });

  it('NCHW RGB [1, 3, 24, 24] with the batch fixed at 1: images run one by one, ImageNet mean/std per channel, scores = raw tfjs', async () => {
    const { json, model, raw } = await generated({ layout: 'nchw', channels: 3, size: 24, outputs: 2, batch: 1 });
    const inspection = await inspectGraphModel(json, model);
    expect(inspection.input).toMatchObject({ channels: 3, layout: 'nchw', batchSize: 1 });
    const adapter: InputAdapter = { layout: 'nchw', channels: 3, intensity: INTENSITY_PRESETS.imagenet };
    const graph = graphInferenceGraph(model, { ...inspection.spec, outputColumns: [0, 1] }, adapter, 24, 24);
    const x = inputs(24, adapter);
    const out = await graph.run(x, images.length, [LOGITS_OUTPUT]);
    expect(out[LOGITS_OUTPUT]!.shape).toEqual([images.length, 2]);
    for (let i = 0; i < images.length; i++) {
      const one = (await (raw.predict(tf.tensor4d(x.subarray(i * 3 * 576, (i + 1) * 3 * 576), [1, 3, 24, 24])) as tf.Tensor).data()) as Float32Array;
      for (let l = 0; l < 2; l++) expect(Math.abs(sigmoid(out[LOGITS_OUTPUT]!.data[i * 2 + l] as number) - (one[l] as number))).toBeLessThan(1e-6);
    }
    graph.dispose();
    raw.dispose();
  });

  it('OOD taps: the last node of each resolution along the trunk, layouts followed through the Transposes, summarised in the same pass', async () => {
    const { json, model, raw, featureNode } = await generated({ layout: 'nchw', channels: 1, size: 32, outputs: 4 });
    const inspection = await inspectGraphModel(json, model);
    const taps = await graphOodTaps(json, model, inspection);
    const relu32 = json.modelTopology.node.find((n) => n.op === 'Relu')!.name; // first conv block, 32², NHWC after the input Transpose
    expect(taps.layers.map((l) => [l.layer, l.summary, l.level])).toEqual([
      [relu32, 'channel-moments', 'texture'],
      [featureNode, 'channel-moments', 'anatomy'],
      [featureNode, 'top-bottom-means', 'layout'],
    ]);
    expect(taps.nodeLayouts).toEqual({ [relu32]: 'nhwc', [featureNode]: 'nchw' });

    const adapter: InputAdapter = { layout: 'nchw', channels: 1, intensity: INTENSITY_PRESETS['-1,1'] };
    const graph = graphInferenceGraph(model, { ...inspection.spec, nodeLayouts: taps.nodeLayouts, outputColumns: [0] }, adapter, 32, 32, taps.layers);
    const names = taps.layers.map((l) => oodOutputName(l.summary, l.layer));
    expect(graph.oodOutputs).toEqual(names);
    const x = inputs(32, adapter);
    const out = await graph.run(x, images.length, names);
    const [a, f] = raw.execute(tf.tensor4d(x, [images.length, 1, 32, 32]), [relu32, featureNode]) as tf.Tensor4D[];
    const expected = [channelMoments(a!), channelMoments(tf.transpose(f!, [0, 2, 3, 1])), topBottomMeans(tf.transpose(f!, [0, 2, 3, 1]))];
    for (const [i, name] of names.entries()) {
      const want = (await expected[i]!.data()) as Float32Array;
      expect(out[name]!.data.length).toBe(want.length);
      want.forEach((v, k) => expect(out[name]!.data[k]).toBeCloseTo(v, 5));
    }
    graph.dispose();
    raw.dispose();
  });

  it('a channel count other than 1 or 3, and an ambiguous layout, are refused with MODEL_INPUT_MISMATCH', async () => {
    const four = smallGraphModel({ layout: 'nhwc', channels: 3, size: 16, outputs: 2 });
    (four.json.modelTopology.node[0]!.attr!.shape!.shape!.dim![3] as { size: string }).size = '4';
    const m4 = await loadGraphModelFromMemory(four.json, new Map([['group1-shard1of1.bin', four.shard]]), '', 'model.json');
    expect(await codeOf(inspectGraphModel(four.json, m4, { layout: 'nhwc' }))).toBe('MODEL_INPUT_MISMATCH');
    const tiny = smallGraphModel({ layout: 'nhwc', channels: 3, size: 3, outputs: 2 });
    const m3 = await loadGraphModelFromMemory(tiny.json, new Map([['group1-shard1of1.bin', tiny.shard]]), '', 'model.json');
    await expect(inspectGraphModel(tiny.json, m3)).rejects.toThrow(/pass --layout nhwc or --layout nchw/);
    m4.dispose();
    m3.dispose();
  });
});
