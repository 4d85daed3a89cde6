/**
 * Models exported before input adapters existed must see bit-identical inputs: SHA-256 of the
 * preprocessed float32 bytes of real DICOM files, recorded with the pre-adapter preprocessing
 * code (core/preprocess at commit 8768a07), for the default model's preprocessing and for a
 * non-default one (centre crop, percentile window, mean/std, pad), with no adapter and with the
 * explicit default adapter. Uncompressed files only (grey, big-endian, RGB), so that a change
 * of a lossy decoder cannot move the reference.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import { DEFAULT_INPUT_ADAPTER } from '../core/preprocess/input-adapter.ts';
import type { PreprocessParams } from '../core/preprocess/params.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { pydicomDir } from './fixtures/external-fixtures.ts';

const card = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'models', 'chest-phantom', 'model-card.json'), 'utf8')) as { preprocessing: PreprocessParams };
const other: PreprocessParams = { height: 224, width: 200, voi: 'percentile', percentileLow: 1, percentileHigh: 99, fit: 'center-crop', padValue: -1, mean: 0.5, std: 0.25 };

const golden: Record<string, [string, string]> = {
  'MR_small.dcm': ['4cb57267485cba38505106593257fc339bf731eadd52e4377f9f1fc7beb624cd', 'bfec49a3c8d9509e54acd30d8dc48731bc00b3ab5f170540f7587a1068a57258'],
  'CT_small.dcm': ['9331d8f3005140e8cc636ead4e2fb2ba3ca7a388045ecb4c985ea0cadd22e084', '4ec208d159577f1b970741ba0329800fe1ec110c98c706e3949f9559bef2fae8'],
  'ExplVR_BigEnd.dcm': ['c6694ebae9a928c659e55f25214ae4e7e485339a1b1b0be42f556732568acaf4', '94947ecb7586067241456015092b4263340de158bdedebcf4baaeb8e1af1b9d0'],
  'liver_1frame.dcm': ['6c82fd8bd40075c699c4a04d8dbeef7648c532b6149fd046b4d3568e4d18f89d', '6cdc0748e605975d1216237260e0291a74c0afe74b0a85a6fb0063e59721f7c4'],
  'SC_rgb_small_odd.dcm': ['4092a373b10cdec48cfa6f14672545e5b35b09c17dc96c816e2b57bf02b419fa', '9d6cb585598c656420a1ed8ec6e4fb9654e941b4f851d479a58b0ae451e8c810'],
};

const sha = (f: Float32Array): string => createHash('sha256').update(new Uint8Array(f.buffer, f.byteOffset, f.byteLength)).digest('hex');

describe('input adapter migration: pre-adapter models get bit-identical inputs', () => {
  it('the default model card has no adapter (read as the default: grey, NHWC, scalar mean/std)', () => {
    expect(card.preprocessing.adapter).toBeUndefined();
  });

  for (const [name, [cardHash, otherHash]] of Object.entries(golden)) {
    it(`${name}: same SHA-256 as before adapters, with and without the explicit default adapter`, async () => {
      const image = await decodeDicom(new Uint8Array(readFileSync(join(pydicomDir(), name))));
      for (const [params, hash] of [[card.preprocessing, cardHash], [other, otherHash]] as const) {
        expect(sha(preprocessFrame(image, 0, params).data)).toBe(hash);
        expect(sha(preprocessFrame(image, 0, { ...params, adapter: DEFAULT_INPUT_ADAPTER }).data)).toBe(hash);
      }
    });
  }
});
