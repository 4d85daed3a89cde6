/**
 * The RadLocal classifier: a compact residual CNN and a head producing one logit per label
 * (sigmoid applied in post-processing, so temperature calibration works on logits and the
 * heatmaps are exact).
 *
 *   input [N, S, S, 1] → stem conv 3×3 /2 → BN → ReLU
 *   → per stage: residual block /2 (conv 3×3 → BN → ReLU → conv 3×3 → BN, + projected shortcut) → ReLU
 *   → "features" [N, S/2^(stages+1), …, C]
 *   head 'gap' (default): → global average pooling "embedding" [N, C] → dropout → dense "logits" [N, labels]
 *   head 'map': → dropout → 1×1 conv "logit_map" [N, h, w, labels] (one logit per label and
 *        position) → "logits" [N, labels] = (global max + global average) / 2 of the map
 *
 * The map head was meant to keep small findings visible (global average pooling divides a
 * finding by the map's area; the max does not) with the map itself as the heatmap. Measured
 * on the default recipe (256², 1,920 training phantoms, 16 epochs, fresh phantoms of seed
 * 9001): it learns cardiomegaly, effusion and pneumothorax as well or better, but not the
 * nodule at all (AUC 0.54, against 0.9 with 'gap'), so 'gap' stays the default; see the
 * default model's card (`tradeOffs`). Both heads are built from stock layers (no custom layer
 * to register in the browser worker or in import-model).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { FEATURES_OUTPUT, layersInferenceGraph, LOGITS_OUTPUT, type InferenceGraph } from '../../../core/model/inference-graph.ts';
import { defaultOodLayers } from '../../../core/model/ood-features.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

export const FEATURE_LAYER = 'features';
export const EMBEDDING_LAYER = 'embedding';
export const LOGITS_LAYER = 'logits';
export const LOGIT_MAP_LAYER = 'logit_map';
export const CLASSIFIER_HEADS = ['gap', 'map'] as const;
export type ClassifierHead = (typeof CLASSIFIER_HEADS)[number];
export const ARCHITECTURE_NAME = 'radlocal-resnet-compact';

export interface ClassifierOptions {
  /** Input height and width in pixels (square). */
  inputSize: number;
  /** Label names (one logit each). */
  labels: readonly string[];
  /** Channels of the stem; stage k has width·multipliers[k] channels. Default 16. */
  width?: number;
  /** Channel multipliers of the residual stages (each halves the resolution). Default [2, 4, 6]. */
  stageMultipliers?: readonly number[];
  /** Dropout before the head. Default 0.1. */
  dropout?: number;
  /** Seed of the weight initialisers (reproducible models). Default 1. */
  seed?: number;
  /** 'gap': global average pooling + dense (default); 'map': per-label logit map pooled by max + mean (card v3 `architecture.head`). */
  head?: ClassifierHead;
}

export type ResolvedClassifierOptions = Required<ClassifierOptions>;

export function resolveClassifierOptions(options: ClassifierOptions): ResolvedClassifierOptions {
  const resolved: ResolvedClassifierOptions = {
    width: 16,
    stageMultipliers: [2, 4, 6],
    dropout: 0.1,
    seed: 1,
    head: 'gap',
    ...options,
  };
  if (!(CLASSIFIER_HEADS as readonly string[]).includes(resolved.head)) {
    throw new RadLocalError('CLI_USAGE', `Expected the head to be one of ${CLASSIFIER_HEADS.join(', ')}, but got "${resolved.head}".`);
  }
  const downsample = 2 ** (resolved.stageMultipliers.length + 1);
  if (!Number.isInteger(resolved.inputSize) || resolved.inputSize < downsample || resolved.inputSize % downsample !== 0) {
    throw new RadLocalError(
      'CLI_USAGE',
      `Expected the input size to be a positive multiple of ${downsample} (the network halves it ${resolved.stageMultipliers.length + 1} times), but got ${resolved.inputSize}.`,
    );
  }
  if (resolved.labels.length === 0) throw new RadLocalError('CLI_USAGE', 'Expected at least one label, but got none.');
  if (!Number.isInteger(resolved.width) || resolved.width < 1) {
    throw new RadLocalError('CLI_USAGE', `Expected the width to be a positive integer, but got ${resolved.width}.`);
  }
  return resolved;
}

/**
 * Builds an untrained classifier.
 * @return a LayersModel: input [N, inputSize, inputSize, 1] float32 (preprocessed) → logits [N, labels] float32.
 */
export function createClassifier(options: ClassifierOptions): tfl.LayersModel {
  const o = resolveClassifierOptions(options);
  let seed = o.seed * 1000;
  const init = () => tfl.initializers.heNormal({ seed: seed++ });
  const conv = (x: tfl.SymbolicTensor, filters: number, kernel: number, strides: number, name: string) =>
    tfl.layers
      .conv2d({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, kernelInitializer: init(), name })
      .apply(x) as tfl.SymbolicTensor;
  const bn = (x: tfl.SymbolicTensor, name: string) => tfl.layers.batchNormalization({ momentum: 0.9, name }).apply(x) as tfl.SymbolicTensor;
  const relu = (x: tfl.SymbolicTensor, name: string) => tfl.layers.reLU({ name }).apply(x) as tfl.SymbolicTensor;

  const input = tfl.input({ shape: [o.inputSize, o.inputSize, 1], name: 'image' });
  let x = relu(bn(conv(input, o.width, 3, 2, 'stem_conv'), 'stem_bn'), 'stem_relu');
  o.stageMultipliers.forEach((multiplier, i) => {
    const filters = Math.round(o.width * multiplier);
    const p = `stage${i + 1}`;
    let y = relu(bn(conv(x, filters, 3, 2, `${p}_conv1`), `${p}_bn1`), `${p}_relu1`);
    y = bn(conv(y, filters, 3, 1, `${p}_conv2`), `${p}_bn2`);
    const shortcut = bn(conv(x, filters, 1, 2, `${p}_proj`), `${p}_proj_bn`);
    const sum = tfl.layers.add({ name: `${p}_add` }).apply([y, shortcut]) as tfl.SymbolicTensor;
    x = relu(sum, i === o.stageMultipliers.length - 1 ? FEATURE_LAYER : `${p}_relu2`);
  });
  if (o.head === 'map') {
    const dropped = tfl.layers.dropout({ rate: o.dropout, seed: seed++, name: 'dropout' }).apply(x) as tfl.SymbolicTensor;
    const map = tfl.layers
      .conv2d({ filters: o.labels.length, kernelSize: 1, useBias: true, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }), name: LOGIT_MAP_LAYER })
      .apply(dropped) as tfl.SymbolicTensor;
    const max = tfl.layers.globalMaxPooling2d({ name: 'logit_max' }).apply(map) as tfl.SymbolicTensor;
    const mean = tfl.layers.globalAveragePooling2d({ name: 'logit_mean' }).apply(map) as tfl.SymbolicTensor;
    const logits = tfl.layers.average({ name: LOGITS_LAYER }).apply([max, mean]) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: logits, name: ARCHITECTURE_NAME });
  }
  const pooled = tfl.layers.globalAveragePooling2d({ name: EMBEDDING_LAYER }).apply(x) as tfl.SymbolicTensor;
  const dropped = tfl.layers.dropout({ rate: o.dropout, seed: seed++, name: 'dropout' }).apply(pooled) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: o.labels.length, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }), name: LOGITS_LAYER })
    .apply(dropped) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: ARCHITECTURE_NAME });
}

/** The card's description of a classifier's layers (`architecture` featureLayer, logitsLayer and, for the map head, `head`). */
export function classifierCardLayers(options: Pick<ResolvedClassifierOptions, 'head'>): { featureLayer: string; logitsLayer: string; head?: { kind: 'logit-map'; mapLayer: string; pooling: 'max-mean' } } {
  return {
    featureLayer: FEATURE_LAYER,
    logitsLayer: LOGITS_LAYER,
    ...(options.head === 'map' ? { head: { kind: 'logit-map' as const, mapLayer: LOGIT_MAP_LAYER, pooling: 'max-mean' as const } } : {}),
  };
}

/**
 * A classifier as core/model's inference path reads it, in one pass: logits, last feature maps
 * and their pooled embedding, and the OOD detector's layer summaries (defaultOodLayers).
 */
export function classifierGraph(model: tfl.LayersModel): InferenceGraph {
  return layersInferenceGraph(model, { [FEATURES_OUTPUT]: FEATURE_LAYER, [LOGITS_OUTPUT]: LOGITS_LAYER }, defaultOodLayers(model));
}
