/**
 * Models exported before input adapters existed must see bit-identical inputs: SHA-256 of the
 * preprocessed float32 bytes of real DICOM files, recorded with the pre-adapter code (commit
 * 8768a07), for the default model's preprocessing and for a non-default one (centre crop,
 * percentile window, mean/std, pad), with no adapter and with the explicit default adapter.
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
  'JPEG2000.dcm': ['0f1f42d6efa0400597d2b71b50f31eb617e83498caf6f4562d6e86f0b39e46e2', '7033d885b871cb9c60f69545e25d2104a27ffab5ab3c821763df438cebcf2b8a'],
  'liver_1frame.dcm': ['6c82fd8bd40075c699c4a04d8dbeef7648c532b6149fd046b4d3568e4d18f89d', '6cdc0748e605975d1216237260e0291a74c0afe74b0a85a6fb0063e59721f7c4'],
  'SC_rgb_dcmtk_+eb+cr.dcm': ['22160f29a8ae16279e94e2caee07454e9d50f8dc476d67f3289a605a96e5bf5c', '7eea48daeccb87ff15b12c1e3b56da285268bfc66dce6970ff23d1c2ecf2fa37'],
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
