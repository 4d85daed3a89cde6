/**
 * Photometric stages (PS3.3 C.7.6.3.1.2): MONOCHROME1 inversion and colour → grey.
 * All outputs are display values in [0, 1], 0 = black.
 */
import type { DecodedImage, PaletteLuts } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { lutMaxValue } from './voi-lut.ts';

/** MONOCHROME1: minimum sample value is displayed white — invert after VOI. */
export function invertMonochrome1(v: number): number {
  return 1 - v;
}

export type GreyKind = 'monochrome' | 'rgb' | 'luma-first-sample' | 'palette';

/**
 * How a photometric interpretation becomes grey. RGB uses Rec. 601 luma weights; YBR
 * images (if the decoder left them as YBR) already carry luma in their first sample;
 * PALETTE COLOR goes through its red/green/blue LUTs (C.7.6.3.1.5) then luma.
 */
export function greyKindOf(image: Pick<DecodedImage, 'photometricInterpretation' | 'samplesPerPixel' | 'palette'>): GreyKind {
  const p = image.photometricInterpretation;
  if (p === 'MONOCHROME1' || p === 'MONOCHROME2') {
    if (image.samplesPerPixel !== 1) {
      throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', `Expected 1 sample per pixel for ${p}, but got ${image.samplesPerPixel}.`);
    }
    return 'monochrome';
  }
  if (p === 'PALETTE COLOR') {
    if (!image.palette) {
      throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', 'Expected red, green and blue palette lookup tables for a PALETTE COLOR image, but the file has none.');
    }
    return 'palette';
  }
  if (image.samplesPerPixel !== 3) {
    throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', `Expected 3 samples per pixel for ${p}, but got ${image.samplesPerPixel}.`);
  }
  return p === 'RGB' ? 'rgb' : 'luma-first-sample';
}

export const LUMA_R = 0.299;
export const LUMA_G = 0.587;
export const LUMA_B = 0.114;

/** Rec. 601 luma of an RGB triple already scaled to [0, 1]. */
export function luma(r: number, g: number, b: number): number {
  return LUMA_R * r + LUMA_G * g + LUMA_B * b;
}

/** Grey value in [0, 1] of one PALETTE COLOR stored index (C.7.6.3.1.5 clamping rules). */
export function paletteGreyFunction(palette: PaletteLuts): (stored: number) => number {
  const tables = [palette.red, palette.green, palette.blue].map((lut) => ({ lut, max: lutMaxValue(lut) }));
  return (stored) => {
    const [r, g, b] = tables.map(({ lut, max }) => {
      let index = stored - lut.firstValueMapped;
      if (index < 0) index = 0;
      else if (index > lut.data.length - 1) index = lut.data.length - 1;
      return (lut.data[index] ?? 0) / max;
    }) as [number, number, number];
    return luma(r, g, b);
  };
}
