import { describe, expect, it } from 'vitest';
import { createDecodedImage } from '../dicom/decoded-image.ts';
import { DEFAULT_INPUT_ADAPTER, INTENSITY_PRESETS, inputShapeOf, type InputAdapter } from './input-adapter.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from './params.ts';
import { expectTypedError } from '../../test/typed-error-code.ts';
import { preprocessFrame, validatePreprocessParams } from './preprocess-frame.ts';

// 6 rows × 4 columns, 8-bit ramp with a LINEAR_EXACT window 0..255 → grey = stored / 255.
const stored = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
const image = createDecodedImage(6, 4, [stored], { windowCenter: [127.5], windowWidth: [255], voiLutFunction: 'LINEAR_EXACT' });

function params(adapter: InputAdapter | undefined, overrides: Partial<PreprocessParams> = {}): PreprocessParams {
  const base: PreprocessParams = { ...DEFAULT_PREPROCESS_PARAMS, height: 8, width: 8, padValue: -7, ...overrides };
  return adapter ? { ...base, adapter } : base;
}

describe('input adapter', () => {
  it('the default adapter is the pre-adapter path: identical floats with and without it', () => {
    for (const p of [params(undefined), params(undefined, { mean: 0.3, std: 0.2, fit: 'center-crop' })]) {
      const without = preprocessFrame(image, 0, p);
      const withDefault = preprocessFrame(image, 0, { ...p, adapter: DEFAULT_INPUT_ADAPTER });
      expect(withDefault.data).toEqual(without.data);
      expect([without.channels, without.layout]).toEqual([1, 'nhwc']);
    }
  });

  it('NCHW with 3 channels is the NHWC tensor transposed, with ImageNet mean/std per channel', () => {
    const { mean, std } = INTENSITY_PRESETS.imagenet;
    const nhwc = preprocessFrame(image, 0, params({ layout: 'nhwc', channels: 3, intensity: INTENSITY_PRESETS.imagenet }));
    const nchw = preprocessFrame(image, 0, params({ layout: 'nchw', channels: 3, intensity: INTENSITY_PRESETS.imagenet }));
    const grey = preprocessFrame(image, 0, params(undefined)); // mean 0, std 1: the grey values themselves
    const { offsetX, contentWidth } = grey.geometry;
    expect(nhwc.data.length).toBe(8 * 8 * 3);
    for (let p = 0; p < 64; p++) {
      const g = grey.data[p] as number;
      const bar = p % 8 < offsetX || p % 8 >= offsetX + contentWidth;
      for (let c = 0; c < 3; c++) {
        const expected = bar ? -7 : Math.fround((g - (mean[c] as number)) / (std[c] as number));
        expect(nhwc.data[p * 3 + c]).toBe(expected);
        expect(nchw.data[c * 64 + p]).toBe(expected);
      }
    }
  });

  it('maps grey [0, 1] onto [−1024, 1024], [−1, 1] and [0, 1] (black → min, white → max)', () => {
    // 8×8 columns alternating black / white in 4-pixel stripes, read at scale 1 (no resampling).
    const stripes = Uint8Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 0 : 255));
    const flat = createDecodedImage(8, 8, [stripes], { windowCenter: [127.5], windowWidth: [255], voiLutFunction: 'LINEAR_EXACT' });
    for (const [preset, lo, hi] of [['-1024,1024', -1024, 1024], ['-1,1', -1, 1], ['0,1', 0, 1]] as const) {
      const out = preprocessFrame(flat, 0, params({ layout: 'nchw', channels: 1, intensity: INTENSITY_PRESETS[preset] }));
      expect(Array.from(out.data)).toEqual(Array.from(stripes, (s) => (s === 0 ? lo : hi)));
    }
  });

  it('writes the letterbox pad into every channel', () => {
    const out = preprocessFrame(image, 0, params({ layout: 'nchw', channels: 3, intensity: INTENSITY_PRESETS['0,1'] }));
    // 6×4 letterboxed into 8×8: content 8 rows × 5 columns (rounded), bars on the left and right.
    const g = out.geometry;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const inside = x >= g.offsetX && x < g.offsetX + g.contentWidth;
          if (!inside) expect(out.data[c * 64 + y * 8 + x]).toBe(-7);
        }
      }
    }
    expect(inputShapeOf({ layout: 'nchw', channels: 3 }, 8, 8)).toEqual([3, 8, 8]);
  });

  it('refuses a per-channel list of the wrong length, and two intensity mappings at once', async () => {
    const invalid = 'PREPROCESS_INVALID_PARAMS';
    await expectTypedError(() => validatePreprocessParams(params({ layout: 'nhwc', channels: 3, intensity: { kind: 'mean-std', mean: [0.4, 0.5], std: [0.2] } })), invalid, /adapter\.intensity\.mean: expected 1 or 3 values/);
    await expectTypedError(() => validatePreprocessParams(params({ layout: 'nhwc', channels: 1, intensity: INTENSITY_PRESETS['-1,1'] }, { mean: 0.5 })), invalid, /^Expected mean 0 and std 1 when the input adapter maps intensities itself/);
    await expectTypedError(() => validatePreprocessParams(params({ layout: 'nhwc', channels: 1, intensity: { kind: 'range', min: 3, max: 3 } })), invalid, /min ≠ max/);
  });
});
