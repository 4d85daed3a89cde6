/**
 * Stages 1–4 of the preprocessing path at native resolution: modality LUT (C.11.1) → VOI
 * (C.11.2) → MONOCHROME1 inversion → colour to grey. The result is display-ready: a
 * Float32Array of shape [rows, columns] (row-major), values in [0, 1], 0 = black.
 *
 * Integer frames go through one table per distinct stored value (built with the exact same
 * per-value arithmetic), which makes a 2048² 16-bit frame cost one lookup per pixel.
 */
import type { DecodedImage, PixelArray } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { chooseVoi, type AppliedWindow } from './choose-window.ts';
import { applyModalityLut, modalityRescaleOf } from './modality-lut.ts';
import type { PreprocessParams } from './params.ts';
import { greyKindOf, invertMonochrome1, luma, paletteGreyFunction } from './photometric.ts';
import { EXACT_RANGE_LIMIT, isIntegerArray, minMax, storedHistogram, type StoredHistogram } from './stored-histogram.ts';
import { applyVoiLut, applyWindow, lutMaxValue } from './voi-lut.ts';

export interface GreyFrame {
  /** Shape [rows, columns], row-major, float32, values in [0, 1] (0 = black on display). */
  data: Float32Array;
  rows: number;
  columns: number;
  /** VOI applied (modality units), or the full stored range for colour images. */
  window: AppliedWindow;
  /** True when MONOCHROME1 inversion was applied. */
  inverted: boolean;
}

/** Returns frame `frameIndex` after checking its index and length. */
export function frameOf(image: DecodedImage, frameIndex: number): PixelArray {
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= image.frames.length) {
    throw new RadLocalError(
      'PREPROCESS_INVALID_PARAMS',
      `Expected a frame index between 0 and ${image.frames.length - 1}, but got ${frameIndex}.`,
    );
  }
  const frame = image.frames[frameIndex] as PixelArray;
  const expected = image.rows * image.columns * image.samplesPerPixel;
  if (frame.length !== expected) {
    throw new RadLocalError(
      'DICOM_PIXEL_LENGTH_MISMATCH',
      `Expected ${expected} pixel samples (${image.rows} rows × ${image.columns} columns × ${image.samplesPerPixel} samples) in frame ${frameIndex}, but got ${frame.length}.`,
    );
  }
  return frame;
}

/**
 * Display-ready grey image of one frame at native size.
 * @param params only `voi`, `percentileLow` and `percentileHigh` are used.
 */
export function greyFrame(
  image: DecodedImage,
  frameIndex: number,
  params: Pick<PreprocessParams, 'voi' | 'percentileLow' | 'percentileHigh'>,
): GreyFrame {
  const frame = frameOf(image, frameIndex);
  const kind = greyKindOf(image);
  const n = image.rows * image.columns;
  const out = new Float32Array(n);
  const base = { rows: image.rows, columns: image.columns };

  if (kind === 'monochrome') {
    const rescale = modalityRescaleOf(image);
    let histogram: StoredHistogram | undefined;
    const getHistogram = (): StoredHistogram => (histogram ??= storedHistogram(frame));
    const { window, lut } = chooseVoi(image, rescale, params, getHistogram);
    const inverted = image.photometricInterpretation === 'MONOCHROME1';
    const lutMax = lut ? lutMaxValue(lut) : 1;
    const toGrey = (stored: number): number => {
      const m = applyModalityLut(stored, rescale);
      const v = lut ? applyVoiLut(m, lut, lutMax) : applyWindow(m, window.center, window.width, window.voiFunction);
      return inverted ? invertMonochrome1(v) : v;
    };
    mapSamples(frame, out, toGrey, histogram);
    return { ...base, data: out, window, inverted };
  }

  const maxValue = 2 ** image.bitsStored - 1;
  const window: AppliedWindow = { center: maxValue / 2, width: maxValue, source: 'colour', voiFunction: 'LINEAR_EXACT' };
  if (kind === 'palette') {
    // greyKindOf guarantees the palette exists.
    mapSamples(frame, out, paletteGreyFunction(image.palette!), undefined);
    return { ...base, data: out, window, inverted: false };
  }
  const scale = 1 / maxValue;
  if (kind === 'rgb') {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[i] = clamp01(luma((frame[j] as number) * scale, (frame[j + 1] as number) * scale, (frame[j + 2] as number) * scale));
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = clamp01((frame[j] as number) * scale);
  }
  return { ...base, data: out, window, inverted: false };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * out[i] = f(frame[i]); through a per-value table for integer frames with a small range.
 * Non-finite float samples become 0.
 */
function mapSamples(frame: PixelArray, out: Float32Array, f: (stored: number) => number, known: StoredHistogram | undefined): void {
  if (isIntegerArray(frame)) {
    const { min, max } = known ?? minMax(frame);
    if (max - min + 1 <= EXACT_RANGE_LIMIT) {
      const table = new Float32Array(max - min + 1);
      for (let k = 0; k < table.length; k++) table[k] = f(min + k);
      for (let i = 0; i < frame.length; i++) out[i] = table[(frame[i] as number) - min] as number;
      return;
    }
  }
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i] as number;
    out[i] = Number.isFinite(v) ? f(v) : 0;
  }
}
