import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectExternalModel, linearizeLayerActivation } from './inspect-external-model.ts';

type Head = (x: tfl.SymbolicTensor) => tfl.SymbolicTensor;

/** input [size, size, channels] → conv "features" (4 channels) → head. */
function build(head: Head, options: { channels?: number; size?: number | null } = {}): tfl.LayersModel {
  const size = options.size === undefined ? 16 : options.size;
  const input = tfl.input({ shape: [size, size, options.channels ?? 1] });
  const features = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'features' }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: head(features) });
}

const gap: Head = (x) => tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
const dense = (activation: 'linear' | 'sigmoid' | 'softmax', units = 2): Head => (x) => tfl.layers.dense({ units, activation, name: 'head' }).apply(x) as tfl.SymbolicTensor;

describe('inspectExternalModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds logits, the head and the feature maps behind dropout', () => {
    const model = build((x) => dense('linear')(tfl.layers.dropout({ rate: 0.2 }).apply(gap(x)) as tfl.SymbolicTensor));
    expect(inspectExternalModel(model, ['a', 'b'])).toEqual({
      inputHeight: 16,
      inputWidth: 16,
      outputs: 'logits',
      logitsLayer: 'head',
      sigmoidInHead: false,
      featureLayer: 'features',
      featureChannels: 4,
    });
  });

  it('detects probabilities from a sigmoid head and from a separate sigmoid activation', () => {
    expect(inspectExternalModel(build((x) => dense('sigmoid')(gap(x))), ['a', 'b'])).toMatchObject({ outputs: 'probabilities', sigmoidInHead: true, logitsLayer: 'head' });
    const separate = build((x) => tfl.layers.activation({ activation: 'sigmoid', name: 'probs' }).apply(dense('linear')(gap(x))) as tfl.SymbolicTensor);
    expect(inspectExternalModel(separate, ['a', 'b'])).toMatchObject({ outputs: 'probabilities', sigmoidInHead: false, logitsLayer: 'head' });
  });

  it('leaves the size open for a fully convolutional input', () => {
    expect(inspectExternalModel(build((x) => dense('linear')(gap(x)), { size: null }), ['a', 'b'])).toMatchObject({ inputHeight: undefined, inputWidth: undefined });
  });

  it('refuses softmax, a head without global average pooling and a colour input, saying why', () => {
    expect(() => inspectExternalModel(build((x) => dense('softmax')(gap(x))), ['a', 'b'])).toThrow(
      'Expected the dense layer "head" to output logits (linear) or independent probabilities (sigmoid), but its activation is softmax (a multi-class model; RadLocal findings are multi-label).',
    );
    const flat = build((x) => dense('linear')(tfl.layers.flatten({ name: 'flat' }).apply(x) as tfl.SymbolicTensor));
    expect(() => inspectExternalModel(flat, ['a', 'b'])).toThrow('but it is fed by "flat" (Flatten).');
    expect(() => inspectExternalModel(build((x) => dense('linear')(gap(x)), { channels: 3 }), ['a', 'b'])).toThrow(
      'Expected the model input to be [N, height, width, 1]',
    );
  });
});

describe('linearizeLayerActivation', () => {
  it('switches only the named dense layer to linear', () => {
    const json = {
      modelTopology: {
        config: {
          layers: [
            { class_name: 'Dense', config: { name: 'head', activation: 'sigmoid' } },
            { class_name: 'Dense', config: { name: 'other', activation: 'sigmoid' } },
          ],
        },
      },
    };
    linearizeLayerActivation(json, 'head');
    expect(json.modelTopology.config.layers.map((l) => l.config.activation)).toEqual(['linear', 'sigmoid']);
    expect(() => linearizeLayerActivation(json, 'missing')).toThrow('Expected exactly one dense layer named "missing" in model.json, but found 0.');
  });
});
