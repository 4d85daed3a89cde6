/**
 * Modality LUT stage (PS3.3 C.11.1): stored pixel value → modality value (e.g. HU, or
 * "optical density"-like units for CR/DX) by the linear rescale
 * `output = stored × RescaleSlope + RescaleIntercept`.
 *
 * A Modality LUT Sequence (non-linear table) is not supported; such files are rare in
 * projection radiography and the decoder does not expose it.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

export interface ModalityRescale {
  slope: number;
  intercept: number;
}

/** Reads and validates the rescale from a decoded image (PNG/JPEG carry slope 1, intercept 0). */
export function modalityRescaleOf(image: { rescaleSlope: number; rescaleIntercept: number }): ModalityRescale {
  const { rescaleSlope: slope, rescaleIntercept: intercept } = image;
  if (!Number.isFinite(slope) || slope === 0 || !Number.isFinite(intercept)) {
    throw new RadLocalError(
      'DICOM_INVALID_ATTRIBUTE',
      `Expected a finite, non-zero Rescale Slope and a finite Rescale Intercept, but got slope ${slope} and intercept ${intercept}.`,
    );
  }
  return { slope, intercept };
}

/** One stored value through the modality LUT. */
export function applyModalityLut(stored: number, rescale: ModalityRescale): number {
  return stored * rescale.slope + rescale.intercept;
}
