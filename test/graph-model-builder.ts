/**
 * Writes TensorFlow.js graph models (model.json with a GraphDef + one weight shard) for tests
 * and benchmarks. tfjs cannot save graph models and no published npm package ships a
 * channels-first (NCHW) one, so this builds what PyTorch → ONNX → onnx-tf → tensorflowjs_converter
 * produces: a Placeholder [N, C, H, W], a Transpose to NHWC for the convolutions, convolutions
 * with BiasAdd/Relu, batch norms folded to Mul + AddV2, a global Mean, a MatMul + BiasAdd head
 * and a Sigmoid, with a serving signature. Weights are seeded (He initialisation).
 */
import { seededRandom, type Random } from '../core/random/seeded-random.ts';
import type { GraphAttr, GraphModelJson, GraphNodeDef } from '../core/model/graph-def.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const ints = (values: number[]): GraphAttr => ({ list: { i: values.map(String) } });
const FLOAT: GraphAttr = { type: 'DT_FLOAT' };

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export class GraphModelBuilder {
  readonly nodes: GraphNodeDef[] = [];
  private readonly weights: WeightEntry[] = [];
  private readonly random: Random;
  private counter = 0;
  /** Number of float parameters written so far. */
  parameters = 0;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  private name(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  placeholder(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: FLOAT, shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } } });
    return name;
  }

  constant(data: Float32Array | Int32Array, shape: number[], prefix = 'const'): string {
    const name = this.name(prefix);
    const dtype = data instanceof Int32Array ? 'int32' : 'float32';
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } as unknown as GraphAttr } });
    this.weights.push({ name, shape, dtype, data });
    if (dtype === 'float32') this.parameters += data.length;
    return name;
  }

  /** Normal(0, std) values (Box–Muller on the seeded generator). */
  private normal(n: number, std: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = Math.max(this.random(), 1e-12);
      out[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
    }
    return out;
  }

  op(op: string, inputs: string[], attr: Record<string, GraphAttr> = {}, name = this.name(op.toLowerCase())): string {
    this.nodes.push({ name, op, input: inputs, attr: { T: FLOAT, ...attr } });
    return name;
  }

  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x, this.constant(Int32Array.from(perm), [perm.length], 'perm')], { Tperm: { type: 'DT_INT32' } });
  }

  /** NHWC convolution, He-initialised, with a bias (and a ReLU when asked). */
  conv(x: string, inChannels: number, outChannels: number, kernel: number, stride = 1, options: { bias?: boolean; relu?: boolean } = {}): string {
    const filter = this.constant(this.normal(kernel * kernel * inChannels * outChannels, Math.sqrt(2 / (kernel * kernel * inChannels))), [kernel, kernel, inChannels, outChannels], 'kernel');
    let y = this.op('Conv2D', [x, filter], { strides: ints([1, stride, stride, 1]), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: ints([1, 1, 1, 1]) });
    if (options.bias !== false) y = this.op('BiasAdd', [y, this.constant(this.normal(outChannels, 0.01), [outChannels], 'bias')], { data_format: { s: b64('NHWC') } });
    return options.relu ? this.op('Relu', [y]) : y;
  }

  /** Inference batch norm as the converter leaves it when it cannot fold it into a convolution: x·scale + shift. */
  batchNorm(x: string, channels: number): string {
    const scale = Float32Array.from(this.normal(channels, 0.05), (v) => 1 + v);
    const y = this.op('Mul', [x, this.constant(scale, [channels], 'bn_scale')]);
    return this.op('AddV2', [y, this.constant(this.normal(channels, 0.02), [channels], 'bn_shift')]);
  }

  pool(op: 'MaxPool' | 'AvgPool', x: string, size: number, stride: number, padding: 'SAME' | 'VALID' = 'VALID'): string {
    return this.op(op, [x], { ksize: ints([1, size, size, 1]), strides: ints([1, stride, stride, 1]), padding: { s: b64(padding) }, data_format: { s: b64('NHWC') } });
  }

  concat(inputs: string[], axis: number): string {
    return this.op('ConcatV2', [...inputs, this.constant(Int32Array.from([axis]), [], 'axis')], { N: { i: String(inputs.length) }, Tidx: { type: 'DT_INT32' } });
  }

  mean(x: string, axes: number[]): string {
    return this.op('Mean', [x, this.constant(Int32Array.from(axes), [axes.length], 'axes')], { keep_dims: { b: false }, Tidx: { type: 'DT_INT32' } });
  }

  /** Dense head: x [N, C] · W [C, K] + b. */
  dense(x: string, inputs: number, outputs: number): string {
    const w = this.constant(this.normal(inputs * outputs, Math.sqrt(1 / inputs)), [inputs, outputs], 'dense_kernel');
    const y = this.op('MatMul', [x, w], { transpose_a: { b: false }, transpose_b: { b: false } });
    return this.op('BiasAdd', [y, this.constant(this.normal(outputs, 0.1), [outputs], 'dense_bias')], { data_format: { s: b64('NHWC') } });
  }

  /** model.json (graph-model format) and its single weight shard `group1-shard1of1.bin`. */
  build(signature: { input: string; inputShape: number[]; output: string; outputShape: number[] } | undefined): { json: GraphModelJson; shard: Uint8Array } {
    const bytes = this.weights.reduce((n, w) => n + w.data.byteLength, 0);
    const shard = new Uint8Array(bytes);
    let offset = 0;
    for (const w of this.weights) {
      shard.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), offset);
      offset += w.data.byteLength;
    }
    const dims = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
    const json: GraphModelJson = {
      format: 'graph-model',
      generatedBy: 'radlocal test graph-model-builder',
      convertedBy: null,
      modelTopology: { node: this.nodes, library: {}, versions: {} },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: this.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })) }],
    };
    if (signature) {
      json.signature = {
        inputs: { image: { name: `${signature.input}:0`, dtype: 'DT_FLOAT', tensorShape: dims(signature.inputShape) } },
        outputs: { findings: { name: `${signature.output}:0`, dtype: 'DT_FLOAT', tensorShape: dims(signature.outputShape) } },
      };
    }
    return { json, shard };
  }
}

export interface SmallGraphOptions {
  layout: 'nhwc' | 'nchw';
  channels: 1 | 3;
  size: number;
  outputs: number;
  /** Fixed batch size, or -1 for any. */
  batch?: number;
  signature?: boolean;
  seed?: number;
}

/**
 * A small classifier shaped like an onnx-tf export: [N, C, H, W] → Transpose → conv → conv/2
 * (→ Transpose back to NCHW for an NCHW model) → Mean over the spatial axes → MatMul + BiasAdd
 * → Sigmoid → Identity. Its head is linear over the pooled features (exact CAM).
 */
export function smallGraphModel(o: SmallGraphOptions): { json: GraphModelJson; shard: Uint8Array; featureNode: string; logitsNode: string } {
  const g = new GraphModelBuilder(o.seed ?? 7);
  const batch = o.batch ?? -1;
  const inputShape = o.layout === 'nchw' ? [batch, o.channels, o.size, o.size] : [batch, o.size, o.size, o.channels];
  const input = g.placeholder('input', inputShape);
  let x = o.layout === 'nchw' ? g.transpose(input, [0, 2, 3, 1]) : input;
  x = g.conv(x, o.channels, 8, 3, 1, { relu: true });
  const features = g.conv(x, 8, 16, 3, 2, { relu: true });
  const back = o.layout === 'nchw' ? g.transpose(features, [0, 3, 1, 2]) : features;
  const pooled = g.mean(back, o.layout === 'nchw' ? [2, 3] : [1, 2]);
  const logits = g.dense(pooled, 16, o.outputs);
  const sigmoid = g.op('Sigmoid', [logits]);
  const output = g.op('Identity', [sigmoid], {}, 'Identity');
  const built = g.build(o.signature === false ? undefined : { input, inputShape, output, outputShape: [batch, o.outputs] });
  return { ...built, featureNode: back, logitsNode: logits };
}

/**
 * DenseNet-121 (growth 32, blocks 6/12/24/16, bottleneck 4·32, compression 0.5) as a graph
 * model with a TorchXRayVision-like interface: input [N, 1, 224, 224] (NCHW), 18 sigmoid
 * outputs. ≈ 7 M parameters, ≈ 2.9 GFLOPs per image.
 */
export function denseNet121Graph(options: { size?: number; outputs?: number; seed?: number } = {}): { json: GraphModelJson; shard: Uint8Array; parameters: number } {
  const size = options.size ?? 224;
  const outputs = options.outputs ?? 18;
  const g = new GraphModelBuilder(options.seed ?? 121);
  const inputShape = [-1, 1, size, size];
  const input = g.placeholder('input', inputShape);
  let x = g.transpose(input, [0, 2, 3, 1]);
  x = g.conv(x, 1, 64, 7, 2, { bias: false });
  x = g.op('Relu', [g.batchNorm(x, 64)]);
  x = g.pool('MaxPool', x, 3, 2, 'SAME');
  let channels = 64;
  const growth = 32;
  [6, 12, 24, 16].forEach((layers, block) => {
    for (let l = 0; l < layers; l++) {
      let y = g.op('Relu', [g.batchNorm(x, channels)]);
      y = g.conv(y, channels, 4 * growth, 1, 1, { bias: false });
      y = g.op('Relu', [g.batchNorm(y, 4 * growth)]);
      y = g.conv(y, 4 * growth, growth, 3, 1, { bias: false });
      x = g.concat([x, y], 3);
      channels += growth;
    }
    if (block < 3) {
      x = g.op('Relu', [g.batchNorm(x, channels)]);
      x = g.conv(x, channels, channels / 2, 1, 1, { bias: false });
      x = g.pool('AvgPool', x, 2, 2);
      channels /= 2;
    }
  });
  const features = g.op('Relu', [g.batchNorm(x, channels)]);
  const logits = g.dense(g.mean(features, [1, 2]), channels, outputs);
  const output = g.op('Identity', [g.op('Sigmoid', [logits])], {}, 'Identity');
  return { ...g.build({ input, inputShape, output, outputShape: [-1, outputs] }), parameters: g.parameters };
}
