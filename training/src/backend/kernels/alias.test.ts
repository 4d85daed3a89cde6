import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.ts';
import { compareWithCpu, randomInput, seededValues } from './kernel-test-utils.ts';

describe('Identity and Cast on wasm match the cpu backend', () => {
  it.each([[[3, 5, 7, 2]], [[17]], [[]]])('Identity of %j', async (shape) => {
    const result = await compareWithCpu('Identity', { x: randomInput(shape, 31) }, {});
    expect(result.wasmShape).toEqual(shape);
    expect(result.error).toBe(0);
  });

  it.each([[[4, 9, 3]], [[1000]]])('Cast float32 → float32 of %j', async (shape) => {
    const result = await compareWithCpu('Cast', { x: randomInput(shape, 32) }, { dtype: 'float32' });
    expect(result.wasmShape).toEqual(shape);
    expect(result.error).toBe(0);
  });

  it('casts between dtypes with tfjs’s kernel (values change)', async () => {
    await selectBackend('wasm');
    const x = tf.tensor1d([1.7, -2.2, 0.4]);
    const asInt = tf.cast(x, 'int32');
    const back = tf.cast(asInt, 'float32');
    expect(asInt.dtype).toBe('int32');
    expect(Array.from(asInt.dataSync())).toEqual([1, -2, 0]);
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.dataSync())).toEqual([1, -2, 0]);
    tf.dispose([x, asInt, back]);
  });

  it('shares the data without a copy and keeps it alive until the last reference goes', async () => {
    await selectBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.tensor2d(seededValues(12, 5), [3, 4]);
    const values = Array.from(x.dataSync());
    const y = tf.clone(x);
    const z = tf.cast(y, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual(values);
    z.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
