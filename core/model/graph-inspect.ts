/**
 * What RadLocal needs to know about a graph model before it can import it, read from the
 * GraphDef and checked by running it:
 *
 *   input   the signature's (or a named) Placeholder: [N, H, W, C] or [N, C, H, W], C ∈ {1, 3},
 *           batch fixed or dynamic;
 *   output  the signature's (or a named) node through its Identity: a Sigmoid (its input gives
 *           the logits), or logits; a Softmax or another activation is refused;
 *   head    linear over globally averaged feature maps (MatMul / _FusedMatMul with only a
 *           BiasAdd, or the pooled features themselves) → exact CAM, verified numerically on
 *           two random inputs; otherwise the last spatial feature map before pooling/flatten
 *           gives OOD statistics and a class-agnostic map, labelled as such.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { dimsOf, GraphIndex, graphSignature, nodeNameOf, stringListAttr, type GraphModelJson, type GraphNodeDef } from './graph-def.ts';
import { executeNodes } from './graph-model.ts';
import type { GraphModelSpec } from './graph-spec.ts';
import type { OodLayerSpec } from './ood-features.ts';

export interface GraphInspectOptions {
  /** Image input node, when the signature has none or several. */
  inputNode?: string;
  /** Findings output node (any node giving [N, outputs]), when the signature has none or several. */
  outputNode?: string;
  /** 'auto' (default) detects a Sigmoid; 'logits' / 'probabilities' declare what the output node gives. */
  outputs?: 'auto' | 'logits' | 'probabilities';
  /** Input layout, when the shape does not tell (e.g. [N, 3, 3, 3]). */
  layout?: 'nhwc' | 'nchw';
  /** Required when the model accepts any image size. */
  inputSize?: { height: number; width: number };
  /** The 4-D activation to read for OOD and heatmaps (default: found automatically). */
  featureNode?: string;
  featureLayout?: 'nhwc' | 'nchw';
}

export interface GraphInspection {
  input: { node: string; height: number; width: number; channels: 1 | 3; layout: 'nhwc' | 'nchw'; batchSize: number | null };
  output: { node: string; kind: 'sigmoid' | 'logits' | 'probabilities'; count: number };
  /** Everything but the label mapping (`outputColumns`), which the importer decides. */
  spec: Omit<GraphModelSpec, 'outputColumns'>;
  /** Pooled-feature size of the feature node (C), 0 without one. */
  featureChannels: number;
  /** What was found, in words (for the CLI). */
  notes: string[];
}

const ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'Selu', 'Tanh', 'LeakyRelu', 'Softplus', 'Prelu']);
const SHAPE_ONLY = new Set(['Reshape', 'Squeeze', 'Identity', 'ExpandDims']);

function unsupportedOutput(message: string): RadLocalError {
  return new RadLocalError('MODEL_OUTPUT_UNSUPPORTED', message);
}

function inputMismatch(message: string): RadLocalError {
  return new RadLocalError('MODEL_INPUT_MISMATCH', message);
}

const list = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

function pickInput(json: GraphModelJson, index: GraphIndex, options: GraphInspectOptions): GraphNodeDef {
  const signature = graphSignature(json);
  const placeholders = json.modelTopology.node.filter((n) => n.op === 'Placeholder').map((n) => n.name);
  let name = options.inputNode;
  if (!name) {
    if (!signature) throw missingSignature(json, index);
    const entries = Object.values(signature.inputs ?? {});
    if (entries.length !== 1) {
      throw inputMismatch(`The graph model has ${entries.length} inputs (${list(entries.map((e) => nodeNameOf(e.name)))}); name the image input with --input-node.`);
    }
    name = (entries[0] as { name: string }).name;
  }
  const node = index.get(name);
  if (!node || node.op !== 'Placeholder') {
    throw inputMismatch(`Expected the input "${name}" to be one of the model's Placeholder nodes (${list(placeholders)}), but it is ${node ? `a ${node.op}` : 'not in the graph'}.`);
  }
  return node;
}

function missingSignature(json: GraphModelJson, index: GraphIndex): RadLocalError {
  const placeholders = json.modelTopology.node.filter((n) => n.op === 'Placeholder').map((n) => n.name);
  const consumed = new Set(json.modelTopology.node.flatMap((n) => (n.input ?? []).map(nodeNameOf)));
  const leaves = json.modelTopology.node.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => index.throughIdentity(n).name);
  return new RadLocalError(
    'MODEL_SIGNATURE_MISSING',
    `The graph model has no serving signature, so RadLocal cannot tell which node takes the image and which gives the findings. ` +
      `Convert the SavedModel with its signature (tensorflowjs_converter --input_format=tf_saved_model --signature_name=serving_default …), ` +
      `or name both: --input-node NAME --output-node NAME (inputs here: ${list(placeholders)}; outputs: ${list(leaves)}).`,
  );
}

function pickOutput(json: GraphModelJson, index: GraphIndex, options: GraphInspectOptions): GraphNodeDef {
  let name = options.outputNode;
  if (!name) {
    const signature = graphSignature(json);
    if (!signature) throw missingSignature(json, index);
    const entries = Object.entries(signature.outputs ?? {});
    if (entries.length !== 1) {
      throw unsupportedOutput(
        `The graph model has ${entries.length} outputs (${entries.map(([key, e]) => `${key} = "${nodeNameOf(e.name)}"`).join(', ')}); name the one that gives the findings with --output-node.`,
      );
    }
    name = (entries[0] as [string, { name: string }])[1].name;
  }
  const node = index.get(name);
  if (!node) throw unsupportedOutput(`The output node "${nodeNameOf(name)}" is not in the graph.`);
  return node;
}

/** Values of a constant (axes, shapes) from the loaded weights. */
function constValues(model: GraphModel, name: string): number[] | undefined {
  const t = model.weights[nodeNameOf(name)]?.[0];
  return t ? Array.from(t.dataSync()) : undefined;
}

interface HeadShape {
  /** Const kernel of a dense head, absent for an identity head. */
  kernelNode?: string;
  kernelTransposed?: boolean;
  /** True when logits = pooled features · kernel (+ bias) with nothing in between. */
  linear: boolean;
  /** Where the walk towards the features starts. */
  below: GraphNodeDef;
  description: string;
}

function headShape(index: GraphIndex, logits: GraphNodeDef): HeadShape {
  let n = logits;
  if ((n.op === 'BiasAdd' || n.op === 'Add' || n.op === 'AddV2') && index.inputs(n).some((i) => i.op === 'Const') && index.dataInputs(n).length === 1) {
    n = index.dataInputs(n)[0] as GraphNodeDef;
  }
  const kernel = index.inputs(n)[1];
  if ((n.op === 'MatMul' || n.op === '_FusedMatMul') && kernel?.op === 'Const') {
    const fused = n.op === '_FusedMatMul' ? stringListAttr(n, 'fused_ops') : [];
    const linear = fused.every((op) => op === 'BiasAdd') && n.attr?.transpose_a?.b !== true;
    const below = index.dataInputs(n)[0] ?? n;
    return {
      kernelNode: kernel.name,
      kernelTransposed: n.attr?.transpose_b?.b === true,
      linear,
      below,
      description: linear ? `dense head "${n.name}"` : `dense head "${n.name}" with a fused ${fused.filter((o) => o !== 'BiasAdd').join('+')}`,
    };
  }
  return { linear: true, below: n, description: `logits are "${n.name}" itself` };
}

interface FeatureCandidate {
  node: GraphNodeDef;
  layout?: 'nhwc' | 'nchw';
  /** True when it reaches the logits through global average pooling and shape-only ops only. */
  pooledDirectly: boolean;
}

/** Walks from the head towards the input to the last spatial map before global pooling or flatten. */
function findFeature(index: GraphIndex, model: GraphModel, head: HeadShape): FeatureCandidate | undefined {
  let n: GraphNodeDef | undefined = head.below;
  let direct = true;
  for (let steps = 0; n && steps < 400; steps++) {
    if (n.op === 'Mean') {
      const axes = (constValues(model, (n.input ?? [])[1] ?? '') ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
      const input = index.dataInputs(n)[0];
      if (input && axes.length === 2 && (axes.join() === '1,2' || axes.join() === '2,3')) {
        return { node: input, layout: axes.join() === '1,2' ? 'nhwc' : 'nchw', pooledDirectly: direct };
      }
    }
    if ((n.op === 'Reshape' || n.op === 'Flatten') && steps > 0) {
      let input = index.dataInputs(n)[0];
      // "Before pooling": a max/avg pool right before the flatten is skipped to the map it pools.
      if (input && (input.op === 'MaxPool' || input.op === 'AvgPool')) input = index.dataInputs(input)[0];
      if (input) return { node: input, pooledDirectly: false };
    }
    if (!SHAPE_ONLY.has(n.op)) direct = false;
    n = index.dataInputs(n)[0];
  }
  return undefined;
}

/**
 * Checks logits(x1) − logits(x2) = (pooled(x1) − pooled(x2)) · W on two random inputs (the
 * bias cancels). Each input runs as its own batch of `batch` (a fixed export batch size).
 */
async function headVerifies(
  model: GraphModel,
  inputNode: string,
  batch: number,
  shape: number[],
  logitsNode: string,
  featureNode: string,
  layout: 'nhwc' | 'nchw',
  kernel: (c: number, k: number) => number,
): Promise<boolean> {
  const runs: Array<{ logits: Float32Array; pooled: Float32Array; outputs: number; channels: number }> = [];
  for (const seed of [16, 17]) {
    const x = tf.randomUniform([batch, ...shape], -1, 1, 'float32', seed);
    const [logitsT, featuresT] = await executeNodes(model, inputNode, x, [logitsNode, featureNode]);
    const pooledT = tf.mean(featuresT as tf.Tensor, layout === 'nhwc' ? [1, 2] : [2, 3]);
    runs.push({
      logits: (await (logitsT as tf.Tensor).data()) as Float32Array,
      pooled: (await pooledT.data()) as Float32Array,
      outputs: (logitsT as tf.Tensor).shape[1] as number,
      channels: pooledT.shape[1] as number,
    });
    for (const t of [x, logitsT, featuresT, pooledT]) t?.dispose();
  }
  const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
  let worst = 0;
  let scale = 1;
  for (let k = 0; k < a.outputs; k++) {
    let predicted = 0;
    for (let c = 0; c < a.channels; c++) predicted += ((a.pooled[c] as number) - (b.pooled[c] as number)) * kernel(c, k);
    const actual = (a.logits[k] as number) - (b.logits[k] as number);
    worst = Math.max(worst, Math.abs(predicted - actual));
    scale = Math.max(scale, Math.abs(actual));
  }
  return worst <= 1e-3 * scale;
}

/**
 * Inspects a loaded graph model (json = its model.json).
 * @throws RadLocalError MODEL_SIGNATURE_MISSING, MODEL_INPUT_MISMATCH, MODEL_OUTPUT_UNSUPPORTED with how to fix the export.
 */
export async function inspectGraphModel(json: GraphModelJson, model: GraphModel, options: GraphInspectOptions = {}): Promise<GraphInspection> {
  const index = new GraphIndex(json);
  const notes: string[] = [];

  // Input.
  const inputNode = pickInput(json, index, options);
  const dtype = inputNode.attr?.dtype?.type;
  if (dtype && dtype !== 'DT_FLOAT') throw inputMismatch(`Expected a float32 image input, but "${inputNode.name}" takes ${dtype}; export the model with a float input.`);
  const dims = dimsOf(inputNode.attr?.shape?.shape) ?? dimsOf(Object.values(graphSignature(json)?.inputs ?? {})[0]?.tensorShape);
  if (!dims || dims.length !== 4) {
    throw inputMismatch(`Expected an image input of rank 4 ([N, H, W, C] or [N, C, H, W]), but "${inputNode.name}" has shape [${dims?.join(', ') ?? 'unknown'}].`);
  }
  const [b, d1, d2, d3] = dims as [number, number, number, number];
  const grey = (c: number): boolean => c === 1 || c === 3;
  const layout = options.layout ?? (grey(d3) && !grey(d1) ? 'nhwc' : grey(d1) && !grey(d3) ? 'nchw' : undefined);
  if (!layout) {
    throw inputMismatch(`The input shape [${dims.join(', ')}] does not tell whether channels come first or last; pass --layout nhwc or --layout nchw.`);
  }
  const [channels, h, w] = layout === 'nhwc' ? [d3, d1, d2] : [d1, d2, d3];
  if (channels !== 1 && channels !== 3) {
    throw inputMismatch(`Expected 1 (grey) or 3 (RGB) input channels, but "${inputNode.name}" has ${channels} (shape [${dims.join(', ')}], ${layout.toUpperCase()}).`);
  }
  let height = h;
  let width = w;
  if (h <= 0 || w <= 0) {
    if (!options.inputSize) throw inputMismatch(`The model accepts any image size ([${dims.join(', ')}]); choose one with --input-size (e.g. 224).`);
    ({ height, width } = options.inputSize);
  } else if (options.inputSize && (options.inputSize.height !== h || options.inputSize.width !== w)) {
    throw inputMismatch(`The model's input is fixed at ${h}×${w}, but --input-size asks for ${options.inputSize.height}×${options.inputSize.width}.`);
  }
  const batchSize = b > 0 ? b : null;
  const shape = layout === 'nhwc' ? [height, width, channels] : [channels, height, width];
  notes.push(`input "${inputNode.name}": [${batchSize ?? 'N'}, ${shape.join(', ')}] ${layout.toUpperCase()}, ${channels === 1 ? 'grey' : 'RGB'}${batchSize ? `, batch fixed at ${batchSize}` : ''}`);

  // Output: sigmoid / logits, softmax refused.
  const outputNode = pickOutput(json, index, options);
  const computed = index.throughIdentity(outputNode);
  let kind: 'sigmoid' | 'logits' | 'probabilities';
  let logitsNode = computed;
  let logitsFrom: 'logits' | 'probabilities' = 'logits';
  if (computed.op === 'Softmax' || computed.op === 'LogSoftmax') {
    const before = index.dataInputs(computed)[0];
    throw unsupportedOutput(
      `The output "${computed.name}" is a ${computed.op}: its scores compete (they sum to 1), so one finding's score lowers the others', while RadLocal's findings are independent (multi-label). ` +
        `Export the model with one sigmoid output per finding. If it was trained with independent sigmoid losses and only the export added the softmax, import its logits instead: --output-node "${before?.name ?? '…'}" --outputs logits.`,
    );
  }
  if (computed.op === 'Sigmoid') {
    const input = index.dataInputs(computed)[0];
    if (!input) throw unsupportedOutput(`The Sigmoid "${computed.name}" has no input node.`);
    kind = 'sigmoid';
    logitsNode = input;
  } else if (options.outputs === 'probabilities') {
    kind = 'probabilities';
    logitsFrom = 'probabilities';
  } else {
    const fused = computed.op.startsWith('_Fused') ? stringListAttr(computed, 'fused_ops').filter((o) => o !== 'BiasAdd') : [];
    if (ACTIVATIONS.has(computed.op) || fused.length > 0) {
      throw unsupportedOutput(
        `The output "${computed.name}" ends in ${fused.length > 0 ? fused.join('+') : computed.op}, which is neither logits nor sigmoid probabilities: no usable findings output. Export the layer before the activation, or a sigmoid head, and name it with --output-node.`,
      );
    }
    kind = 'logits';
  }

  // Head and features.
  const head = headShape(index, logitsNode);
  let feature: FeatureCandidate | undefined;
  if (options.featureNode) {
    const node = index.get(options.featureNode);
    if (!node) throw inputMismatch(`The feature node "${options.featureNode}" is not in the graph.`);
    feature = { node, layout: options.featureLayout, pooledDirectly: false };
  } else {
    feature = findFeature(index, model, head);
  }

  // Probe: one forward pass with zeros reads the output and feature shapes.
  const probeBatch = batchSize ?? 1;
  const x = tf.zeros([probeBatch, ...shape], 'float32');
  let outputCount: number;
  let featureShape: [number, number, number] | null = null;
  let featureLayout: 'nhwc' | 'nchw' = feature?.layout ?? options.featureLayout ?? 'nhwc';
  try {
    const probed = await executeNodes(model, inputNode.name, x, feature ? [logitsNode.name, feature.node.name] : [logitsNode.name]);
    const out = probed[0] as tf.Tensor;
    const f = probed[1];
    const outShape = out.shape;
    const fShape = f?.shape;
    for (const t of probed) t.dispose();
    if (outShape.length !== 2) {
      throw unsupportedOutput(`Expected the findings output "${logitsNode.name}" to be [N, outputs], but it is [${outShape.join(', ')}]: no usable output. Name a 2-D output with --output-node.`);
    }
    outputCount = outShape[1] as number;
    if (fShape && fShape.length === 4) {
      if (!feature?.layout && !options.featureLayout) featureLayout = (fShape[3] as number) >= (fShape[1] as number) ? 'nhwc' : 'nchw';
      const [fh, fw, fc] = featureLayout === 'nhwc' ? [fShape[1], fShape[2], fShape[3]] : [fShape[2], fShape[3], fShape[1]];
      if ((fh as number) > 1 || (fw as number) > 1) featureShape = [fh as number, fw as number, fc as number];
    }
    if (feature && !featureShape) {
      if (options.featureNode) throw inputMismatch(`Expected the feature node "${options.featureNode}" to give a spatial map [N, h, w, C], but it gives [${fShape?.join(', ') ?? 'nothing'}].`);
      notes.push(`"${feature.node.name}" is not a spatial map ([${fShape?.join(', ') ?? ''}]): no feature maps`);
      feature = undefined;
    }
  } finally {
    x.dispose();
  }
  notes.push(`output "${outputNode.name}": ${outputCount} ${kind === 'sigmoid' ? `sigmoid outputs (logits from "${logitsNode.name}")` : kind}`);

  // Heatmap kind: exact CAM only when it verifies.
  let cam: GraphModelSpec['cam'];
  if (!feature || !featureShape) {
    cam = { kind: 'none', reason: 'no spatial feature map was found between the input and the findings output' };
  } else {
    const channels = featureShape[2];
    const kernelValues = head.kernelNode ? model.weights[head.kernelNode]?.[0]?.dataSync() : undefined;
    const identity = !head.kernelNode && channels === outputCount;
    const kernelOk = kernelValues !== undefined && kernelValues.length === channels * outputCount;
    const kernelAt = (c: number, k: number): number =>
      identity ? (c === k ? 1 : 0) : ((kernelValues as ArrayLike<number>)[head.kernelTransposed ? k * channels + c : c * outputCount + k] as number);
    const candidate = head.linear && feature.pooledDirectly && (identity || kernelOk) && logitsFrom === 'logits';
    if (candidate && (await headVerifies(model, inputNode.name, probeBatch, shape, logitsNode.name, feature.node.name, featureLayout, kernelAt))) {
      cam = head.kernelNode ? { kind: 'class-activation', kernelNode: head.kernelNode, kernelTransposed: head.kernelTransposed === true } : { kind: 'class-activation' };
    } else {
      cam = {
        kind: 'feature-energy',
        reason: candidate
          ? 'the head did not verify as linear over the pooled feature maps'
          : `the head is not linear over globally averaged feature maps (${head.description}${feature.pooledDirectly ? '' : ', with layers between the feature maps and the head'})`,
      };
    }
  }
  notes.push(feature ? `feature maps "${feature.node.name}": [${featureShape?.join(', ')}] (${featureLayout.toUpperCase()}), heatmap ${cam.kind}${cam.reason ? ` — ${cam.reason}` : ''}` : 'no feature maps: no OOD statistics from features, no heatmap');

  return {
    input: { node: inputNode.name, height, width, channels, layout, batchSize },
    output: { node: outputNode.name, kind, count: outputCount },
    spec: {
      inputNode: inputNode.name,
      batchSize,
      logitsNode: logitsNode.name,
      logitsFrom,
      outputCount,
      featureNode: feature ? feature.node.name : null,
      featureLayout,
      featureShape,
      cam,
    },
    featureChannels: featureShape?.[2] ?? 0,
    notes,
  };
}

/** Ops whose output is the same activation seen another way (not worth a tap of its own). */
const VIEW_OPS = new Set(['Transpose', 'Identity', 'Reshape', 'Squeeze', 'ExpandDims', 'Placeholder']);

/**
 * The OOD detector's taps for a graph model, as core/model/ood-features.ts defaultOodLayers
 * picks them for a layers model: walking from the feature node back to the input along the
 * trunk (each node's first data input), the last node at each spatial resolution, the deepest
 * `count` of them — channel moments of each (the first sees texture, the last anatomy), and the
 * top/bottom means of the last. The layout of every tapped node is followed through the
 * graph's Transposes from the input's layout.
 */
export async function graphOodTaps(
  json: GraphModelJson,
  model: GraphModel,
  inspection: Pick<GraphInspection, 'input' | 'spec'>,
  count = 5,
): Promise<{ layers: OodLayerSpec[]; nodeLayouts: Record<string, 'nhwc' | 'nchw'> }> {
  const { spec, input } = inspection;
  if (!spec.featureNode) return { layers: [], nodeLayouts: {} };
  const index = new GraphIndex(json);
  const trunk: GraphNodeDef[] = [];
  for (let n = index.get(spec.featureNode); n && n.name !== input.node && trunk.length < 2000; n = index.dataInputs(n)[0]) trunk.push(n);
  trunk.reverse(); // input side first
  // Layouts along the trunk: a Transpose [0, 2, 3, 1] makes NHWC, [0, 3, 1, 2] NCHW.
  let layout = input.layout;
  const layouts = new Map<string, 'nhwc' | 'nchw'>();
  for (const n of trunk) {
    if (n.op === 'Transpose') {
      const perm = constValues(model, (n.input ?? [])[1] ?? '')?.join();
      if (perm === '0,2,3,1') layout = 'nhwc';
      else if (perm === '0,3,1,2') layout = 'nchw';
    }
    layouts.set(n.name, layout);
  }
  layouts.set(spec.featureNode, spec.featureLayout);
  const candidates = trunk.filter((n) => !VIEW_OPS.has(n.op) || n.name === spec.featureNode);
  const shape = input.layout === 'nhwc' ? [input.height, input.width, input.channels] : [input.channels, input.height, input.width];
  const x = tf.zeros([input.batchSize ?? 1, ...shape], 'float32');
  const byResolution = new Map<string, string>();
  const rows = new Map<string, number>();
  try {
    const probed = await executeNodes(model, input.node, x, candidates.map((n) => n.name));
    candidates.forEach((n, i) => {
      const s = (probed[i] as tf.Tensor).shape;
      if (s.length !== 4) return;
      const [h, w] = layouts.get(n.name) === 'nchw' ? [s[2], s[3]] : [s[1], s[2]];
      if ((h as number) < 2 && (w as number) < 2) return;
      byResolution.delete(`${h}x${w}`); // keep insertion order = depth order of each resolution's last node
      byResolution.set(`${h}x${w}`, n.name);
      rows.set(n.name, h as number);
    });
    for (const t of probed) t.dispose();
  } finally {
    x.dispose();
  }
  const taps = [...byResolution.values()].slice(-count);
  const nodeLayouts = Object.fromEntries(taps.map((t) => [t, layouts.get(t) ?? 'nhwc'])) as Record<string, 'nhwc' | 'nchw'>;
  const layers = taps.map(
    (layer, i): OodLayerSpec => ({ layer, summary: 'channel-moments', level: i === 0 && taps.length > 1 ? 'texture' : i === taps.length - 1 ? 'anatomy' : 'structure' }),
  );
  const last = taps[taps.length - 1];
  if (last && (rows.get(last) ?? 0) >= 2) layers.push({ layer: last, summary: 'top-bottom-means', level: 'layout' });
  return { layers, nodeLayouts };
}
