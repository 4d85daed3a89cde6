/**
 * Stages 1–4 of the preprocessing path at native resolution: modality LUT (C.11.1) → VOI
 * (C.11.2) → MONOCHROME1 inversion → colour to grey. The result is display-ready: a
 * Float32Array of shape [rows, columns] (row-major), values in [0, 1], 0 = black.
 *
 * Integer frames go through one table per distinct stored value (built with the exact same
 * per-value arithmetic), which makes a 2048² 16-bit frame cost one lookup per pixel.
 * `greyRows` gives the same values a row at a time (what preprocessing resamples from).
 */
import type { DecodedImage, PixelArray } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { chooseVoi, type AppliedWindow } from './choose-window.ts';
import { applyModalityLut, modalityRescaleOf } from './modality-lut.ts';
import type { PreprocessParams } from './params.ts';
import type { RowReader } from './resize.ts';
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

/** A frame's grey image produced one row at a time (see `greyRows`). */
export interface GreyRows extends Omit<GreyFrame, 'data'> {
  /**
   * Grey row `r` (length `columns`), the same values as row r of `greyFrame(…).data`. The
   * returned array is overwritten by the next call.
   */
  rowAt: RowReader;
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
  const { rowAt, ...rest } = greyRows(image, frameIndex, params);
  const data = new Float32Array(rest.rows * rest.columns);
  for (let r = 0; r < rest.rows; r++) data.set(rowAt(r).subarray(0, rest.columns), r * rest.columns);
  return { ...rest, data };
}

/**
 * `greyFrame` without the full-resolution float image: the VOI, inversion and colour stages
 * are decided once (and, for integer frames, folded into one table per stored value), then
 * applied to a row whenever it is asked for. Preprocessing resamples from these rows, so a
 * 2048² frame never becomes a 16 MB float image on its way to a 256² model input.
 */
export function greyRows(
  image: DecodedImage,
  frameIndex: number,
  params: Pick<PreprocessParams, 'voi' | 'percentileLow' | 'percentileHigh'>,
): GreyRows {
  const frame = frameOf(image, frameIndex);
  const kind = greyKindOf(image);
  const { rows, columns } = image;
  const row = new Float32Array(columns);

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
    return { rows, columns, window, inverted, rowAt: sampleRows(frame, columns, row, toGrey, histogram) };
  }

  const maxValue = 2 ** image.bitsStored - 1;
  const window: AppliedWindow = { center: maxValue / 2, width: maxValue, source: 'colour', voiFunction: 'LINEAR_EXACT' };
  const base = { rows, columns, window, inverted: false };
  if (kind === 'palette') {
    // greyKindOf guarantees the palette exists.
    return { ...base, rowAt: sampleRows(frame, columns, row, paletteGreyFunction(image.palette!), undefined) };
  }
  const scale = 1 / maxValue;
  if (kind === 'rgb') {
    return {
      ...base,
      rowAt: (r) => {
        for (let c = 0, j = r * columns * 3; c < columns; c++, j += 3) {
          row[c] = clamp01(luma((frame[j] as number) * scale, (frame[j + 1] as number) * scale, (frame[j + 2] as number) * scale));
        }
        return row;
      },
    };
  }
  return {
    ...base,
    rowAt: (r) => {
      for (let c = 0, j = r * columns * 3; c < columns; c++, j += 3) row[c] = clamp01((frame[j] as number) * scale);
      return row;
    },
  };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Rows of f(frame[i]) (one sample per pixel), written into `row`: through a per-value table
 * for integer frames with a small range. Non-finite float samples become 0.
 */
function sampleRows(frame: PixelArray, columns: number, row: Float32Array, f: (stored: number) => number, known: StoredHistogram | undefined): RowReader {
  if (isIntegerArray(frame)) {
    const { min, max } = known ?? minMax(frame);
    if (max - min + 1 <= EXACT_RANGE_LIMIT) {
      const table = new Float32Array(max - min + 1);
      // With an exact histogram only the values that occur are worth computing.
      const counts = known?.exact ? known.counts : undefined;
      for (let k = 0; k < table.length; k++) if (counts === undefined || counts[k] !== 0) table[k] = f(min + k);
      return (r) => lookUpRow(frame, r * columns, table, min, row);
    }
  }
  return (r) => {
    for (let c = 0, i = r * columns; c < columns; c++, i++) {
      const v = frame[i] as number;
      row[c] = Number.isFinite(v) ? f(v) : 0;
    }
    return row;
  };
}

/** row[c] = table[frame[start + c] − min] (a plain function: its arrays stay in registers). */
function lookUpRow(frame: PixelArray, start: number, table: Float32Array, min: number, row: Float32Array): Float32Array {
  for (let c = 0, n = row.length; c < n; c++) row[c] = table[(frame[start + c] as number) - min] as number;
  return row;
}
