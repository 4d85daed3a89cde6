/**
 * Chooses the VOI transform for a monochrome frame (PS3.3 C.11.2) according to
 * `params.voi`:
 * - 'file-then-percentile': the file's first Window Center/Width (with its VOI LUT
 *   Function), else its VOI LUT Sequence, else the robust percentile window;
 * - 'percentile': always the robust percentile window — the [percentileLow,
 *   percentileHigh] percentiles of the modality values, applied LINEAR_EXACT.
 */
import type { DecodedImage, LookupTable } from '../dicom/decoded-image.ts';
import type { PreprocessParams } from './params.ts';
import { applyModalityLut, type ModalityRescale } from './modality-lut.ts';
import { percentileOf, type StoredHistogram } from './stored-histogram.ts';
import { voiFunctionOf, type VoiFunction } from './voi-lut.ts';

export type WindowSource = 'file-window' | 'file-voi-lut' | 'percentile' | 'colour';

/** The VOI actually applied, in modality units (for a VOI LUT: the range it covers). */
export interface AppliedWindow {
  center: number;
  width: number;
  source: WindowSource;
  /** VOI LUT Function used for a window (percentile windows use LINEAR_EXACT). */
  voiFunction: VoiFunction;
}

export type VoiChoice = { window: AppliedWindow; lut: LookupTable | undefined };

/**
 * @param histogram lazily computed histogram of the frame's stored values (only needed for
 *   the percentile window).
 */
export function chooseVoi(
  image: Pick<DecodedImage, 'windowCenter' | 'windowWidth' | 'voiLutFunction' | 'voiLut'>,
  rescale: ModalityRescale,
  params: Pick<PreprocessParams, 'voi' | 'percentileLow' | 'percentileHigh'>,
  histogram: () => StoredHistogram,
): VoiChoice {
  if (params.voi === 'file-then-percentile') {
    const center = image.windowCenter[0];
    const width = image.windowWidth[0];
    const fn = voiFunctionOf(image.voiLutFunction);
    // C.11.2.1.2: LINEAR needs width ≥ 1; LINEAR_EXACT and SIGMOID need width > 0.
    const validWidth = width !== undefined && Number.isFinite(width) && (fn === 'LINEAR' ? width >= 1 : width > 0);
    if (center !== undefined && width !== undefined && Number.isFinite(center) && validWidth) {
      return { window: { center, width, source: 'file-window', voiFunction: fn }, lut: undefined };
    }
    const lut = image.voiLut;
    if (lut && lut.data.length > 0) {
      const n = lut.data.length;
      return {
        window: { center: lut.firstValueMapped + n / 2, width: n, source: 'file-voi-lut', voiFunction: 'LINEAR_EXACT' },
        lut,
      };
    }
  }
  return { window: percentileWindow(histogram(), rescale, params.percentileLow, params.percentileHigh), lut: undefined };
}

/**
 * Robust window: the low/high percentiles of the stored values mapped through the modality
 * LUT (monotone, so percentiles commute with it; a negative slope swaps the ends).
 * A constant image gets width 1 centred on its value (LINEAR_EXACT maps it to 0.5).
 */
export function percentileWindow(h: StoredHistogram, rescale: ModalityRescale, low: number, high: number): AppliedWindow {
  const a = applyModalityLut(percentileOf(h, low), rescale);
  const b = applyModalityLut(percentileOf(h, high), rescale);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const width = hi > lo ? hi - lo : 1;
  return { center: hi > lo ? (lo + hi) / 2 : lo, width, source: 'percentile', voiFunction: 'LINEAR_EXACT' };
}
