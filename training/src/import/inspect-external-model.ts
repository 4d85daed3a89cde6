/**
 * Inspects an externally trained TensorFlow.js layers model (e.g. Keras → tensorflowjs_converter)
 * and finds what the RadLocal card needs: the input size, the dense head that produces one
 * logit per label, whether the model outputs logits or probabilities, and the last
 * convolutional feature maps (input of the global average pooling) for CAM and OOD. A
 * RadLocal logit-map head (1×1 convolution → global max and global average → Average; card
 * `architecture.head`) is recognised as well.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

export type OutputKind = 'logits' | 'probabilities';

export interface ExternalModelLayout {
  /** Input height and width; undefined where the model accepts any size. */
  inputHeight: number | undefined;
  inputWidth: number | undefined;
  /** What the model's output is, as detected from its last layers. */
  outputs: OutputKind;
  /** The dense head: pooled features [N, C] → one value per label. */
  logitsLayer: string;
  /** Set when the head's own activation is a sigmoid: the topology must be rewritten to 'linear' to expose logits. */
  sigmoidInHead: boolean;
  /** The last 4-D feature maps [N, h, w, C] pooled into the head. */
  featureLayer: string;
  featureChannels: number;
  /** Set when the head is a per-label logit map pooled by max + mean (`logitsLayer` is then the Average layer). */
  head?: { kind: 'logit-map'; mapLayer: string; pooling: 'max-mean' };
}

function activationOf(layer: tfl.layers.Layer): string | undefined {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string' ? activation : undefined;
}

/** The single layer feeding `layer` (first inbound node). */
function inboundLayer(layer: tfl.layers.Layer): tfl.layers.Layer | undefined {
  const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
  return inbound.length === 1 ? inbound[0] : undefined;
}

function mismatch(message: string): RadLocalError {
  return new RadLocalError('MODEL_INPUT_MISMATCH', message);
}

/**
 * @param labels the label names the model's outputs stand for, in output order.
 * @throws RadLocalError MODEL_INPUT_MISMATCH when the model's shape or head does not fit.
 */
export function inspectExternalModel(model: tfl.LayersModel, labels: readonly string[]): ExternalModelLayout {
  if (model.inputs.length !== 1) throw mismatch(`Expected a model with one image input, but it has ${model.inputs.length} inputs.`);
  const inputShape = model.inputs[0]!.shape;
  if (inputShape.length !== 4 || inputShape[3] !== 1) {
    throw mismatch(
      `Expected the model input to be [N, height, width, 1] (one grey channel, what core/preprocess produces), but it is [${inputShape.map((d) => d ?? 'N').join(', ')}]. Re-export the model with a single-channel input.`,
    );
  }
  if (model.outputs.length !== 1) throw mismatch(`Expected a model with one output (one value per label), but it has ${model.outputs.length} outputs.`);
  const outputShape = model.outputs[0]!.shape;
  if (outputShape.length !== 2 || outputShape[1] !== labels.length) {
    throw mismatch(
      `Expected the model output to be [N, ${labels.length}] for the labels ${labels.join(', ')}, but it is [${outputShape.map((d) => d ?? 'N').join(', ')}].`,
    );
  }

  let head = model.outputs[0]!.sourceLayer as tfl.layers.Layer;
  let outputs: OutputKind = 'logits';
  let sigmoidInHead = false;
  if (head.getClassName() === 'Activation') {
    const activation = activationOf(head);
    if (activation !== 'sigmoid' && activation !== 'linear') {
      throw mismatch(`Expected the model to end in a sigmoid (multi-label), but its last layer "${head.name}" applies ${activation ?? 'an unknown activation'}.`);
    }
    outputs = activation === 'sigmoid' ? 'probabilities' : 'logits';
    const below = inboundLayer(head);
    if (!below) throw mismatch(`Expected one layer below the output activation "${head.name}", but found none or several.`);
    head = below;
  }
  if (head.getClassName() === 'Average') return logitMapLayout(model, head, outputs, labels);
  if (head.getClassName() !== 'Dense') {
    throw mismatch(`Expected the model to end in a dense layer (global average pooling → dense), but its last layer "${head.name}" is a ${head.getClassName()}.`);
  }
  const headActivation = activationOf(head) ?? 'linear';
  if (headActivation === 'sigmoid') {
    if (outputs === 'probabilities') throw mismatch(`Expected one sigmoid at the end of the model, but the dense layer "${head.name}" and the layer after it both apply one.`);
    outputs = 'probabilities';
    sigmoidInHead = true;
  } else if (headActivation !== 'linear') {
    throw mismatch(
      `Expected the dense layer "${head.name}" to output logits (linear) or independent probabilities (sigmoid), but its activation is ${headActivation}${headActivation === 'softmax' ? ' (a multi-class model; RadLocal findings are multi-label)' : ''}.`,
    );
  }

  let pooled = inboundLayer(head);
  while (pooled && pooled.getClassName() === 'Dropout') pooled = inboundLayer(pooled);
  if (!pooled || pooled.getClassName() !== 'GlobalAveragePooling2D') {
    throw mismatch(
      `Expected the dense layer "${head.name}" to be fed by GlobalAveragePooling2D (needed for exact activation maps and the out-of-distribution embedding), but it is fed by ${pooled ? `"${pooled.name}" (${pooled.getClassName()})` : 'several layers'}.`,
    );
  }
  const features = inboundLayer(pooled);
  const featureShape = features?.outputShape as (number | null)[] | undefined;
  if (!features || !featureShape || featureShape.length !== 4 || typeof featureShape[3] !== 'number') {
    throw mismatch(`Expected 4-D feature maps [N, h, w, C] below the global average pooling "${pooled.name}", but did not find them.`);
  }
  return {
    inputHeight: inputShape[1] ?? undefined,
    inputWidth: inputShape[2] ?? undefined,
    outputs,
    logitsLayer: head.name,
    sigmoidInHead,
    featureLayer: features.name,
    featureChannels: featureShape[3],
  };
}

/** The layer below `layer`, skipping dropout. */
function belowDropout(layer: tfl.layers.Layer): tfl.layers.Layer | undefined {
  let below = inboundLayer(layer);
  while (below && below.getClassName() === 'Dropout') below = inboundLayer(below);
  return below;
}

/** A logit-map head: Average of GlobalMaxPooling2D and GlobalAveragePooling2D of one linear 1×1 Conv2D with one filter per label. */
function logitMapLayout(model: tfl.LayersModel, average: tfl.layers.Layer, outputs: OutputKind, labels: readonly string[]): ExternalModelLayout {
  const pools = average.inboundNodes[0]?.inboundLayers ?? [];
  const kinds = pools.map((l) => l.getClassName()).sort();
  const map = pools[0] ? inboundLayer(pools[0]) : undefined;
  if (pools.length !== 2 || kinds.join() !== 'GlobalAveragePooling2D,GlobalMaxPooling2D' || !map || pools.some((l) => inboundLayer(l) !== map)) {
    throw mismatch(`Expected the Average layer "${average.name}" to pool one logit map by its global maximum and global average (a RadLocal logit-map head), but its inputs are ${pools.map((l) => `"${l.name}" (${l.getClassName()})`).join(', ') || 'none'}.`);
  }
  const config = map.getConfig() as { kernelSize?: unknown; filters?: unknown; activation?: unknown };
  if (map.getClassName() !== 'Conv2D' || String(config.kernelSize) !== '1,1' || config.filters !== labels.length || (activationOf(map) ?? 'linear') !== 'linear') {
    throw mismatch(`Expected the logit map "${map.name}" to be a linear 1×1 Conv2D with one filter per label (${labels.length}), but it is a ${map.getClassName()} (kernel ${String(config.kernelSize)}, ${String(config.filters)} filters, activation ${activationOf(map) ?? 'linear'}).`);
  }
  const features = belowDropout(map);
  const featureShape = features?.outputShape as (number | null)[] | undefined;
  if (!features || !featureShape || featureShape.length !== 4 || typeof featureShape[3] !== 'number') {
    throw mismatch(`Expected 4-D feature maps [N, h, w, C] below the logit map "${map.name}", but did not find them.`);
  }
  const inputShape = model.inputs[0]!.shape;
  return {
    inputHeight: inputShape[1] ?? undefined,
    inputWidth: inputShape[2] ?? undefined,
    outputs,
    logitsLayer: average.name,
    sigmoidInHead: false,
    featureLayer: features.name,
    featureChannels: featureShape[3],
    head: { kind: 'logit-map', mapLayer: map.name, pooling: 'max-mean' },
  };
}

/**
 * Returns the model.json text with the named layer's activation set to 'linear', so the
 * layer outputs logits (sigmoid(logit) is the original output). Works on the Keras JSON
 * written by tfjs and by tensorflowjs_converter (functional and Sequential).
 */
export function linearizeLayerActivation(modelJson: { modelTopology?: unknown }, layerName: string): void {
  let found = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const config = record.config as Record<string, unknown> | undefined;
    if (record.class_name === 'Dense' && config && config.name === layerName) {
      config.activation = 'linear';
      found++;
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(modelJson.modelTopology);
  if (found !== 1) throw new RadLocalError('MODEL_LOAD_FAILED', `Expected exactly one dense layer named "${layerName}" in model.json, but found ${found}.`);
}
