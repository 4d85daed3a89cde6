import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelMoments, defaultOodLayers, resolutionTapLayers, topBottomMeans } from './ood-features.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('OOD feature summaries', () => {
  // One image, 4×2 pixels, 2 channels: channel 0 = row index, channel 1 = 10·column.
  const x = tf.tensor4d(
    Array.from({ length: 4 * 2 * 2 }, (_, i) => {
      const channel = i % 2;
      const column = Math.floor(i / 2) % 2;
      const row = Math.floor(i / 4);
      return channel === 0 ? row : 10 * column;
    }),
    [1, 4, 2, 2],
  );

  it('channel moments: spatial mean then standard deviation per channel', () => {
    const [meanRow, meanCol, sdRow, sdCol] = Array.from(channelMoments(x).dataSync());
    expect(meanRow).toBeCloseTo(1.5, 6);
    expect(meanCol).toBeCloseTo(5, 6);
    expect(sdRow).toBeCloseTo(Math.sqrt(1.25), 5); // rows 0..3, population variance 1.25
    expect(sdCol).toBeCloseTo(5, 5);
  });

  it('top/bottom means: which way up the image is', () => {
    expect(Array.from(topBottomMeans(x).dataSync())).toEqual([0.5, 5, 2.5, 5]);
    const upsideDown = tf.reverse(x, 1) as tf.Tensor4D;
    expect(Array.from(topBottomMeans(upsideDown).dataSync())).toEqual([2.5, 5, 0.5, 5]);
    // Channel moments cannot tell the two apart; the layout summary can.
    expect(Array.from(channelMoments(upsideDown).dataSync())).toEqual(Array.from(channelMoments(x).dataSync()));
  });
});

describe('tapped layers', () => {
  it('taps the last layer at each resolution and adds the layout of the deepest', () => {
    const input = tfl.input({ shape: [16, 16, 1] });
    const a = tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', name: 'a' }).apply(input) as tfl.SymbolicTensor;
    const a2 = tfl.layers.reLU({ name: 'a_relu' }).apply(a) as tfl.SymbolicTensor;
    const b = tfl.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', name: 'b' }).apply(a2) as tfl.SymbolicTensor;
    const c = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c' }).apply(b) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(c) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1 }).apply(pooled) as tfl.SymbolicTensor });
    expect(resolutionTapLayers(model)).toEqual(['a_relu', 'b', 'c']);
    expect(resolutionTapLayers(model, 2)).toEqual(['b', 'c']);
    expect(defaultOodLayers(model)).toEqual([
      { layer: 'a_relu', summary: 'channel-moments', level: 'texture' },
      { layer: 'b', summary: 'channel-moments', level: 'structure' },
      { layer: 'c', summary: 'channel-moments', level: 'anatomy' },
      { layer: 'c', summary: 'top-bottom-means', level: 'layout' },
    ]);
    model.dispose();
  });
});
