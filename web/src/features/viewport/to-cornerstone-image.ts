/**
 * Turns one frame of a DecodedImage (core/dicom) into a cornerstone-core Image object.
 * Greyscale frames keep their stored values (cornerstone applies the modality LUT from
 * slope/intercept and the VOI from the viewport); colour frames become RGBA bytes, as
 * cornerstone expects. MONOCHROME1 is displayed inverted (PS3.3 C.7.6.3.1.2).
 */
import type { Image } from 'cornerstone-core';
import { ybrFullToRgb } from '../../../../core/dicom/color.ts';
import type { DecodedImage, LookupTable, PixelArray } from '../../../../core/dicom/decoded-image.ts';

export interface DisplayWindow {
  center: number;
  width: number;
}

function minMax(data: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length === 0 ? [0, 0] : [min, max];
}

/** Cornerstone's LUT indexes by stored value, so float frames are rounded to integers (rare: 32-bit float CT/parametric maps). */
function integerPixels(frame: PixelArray): PixelArray {
  if (!(frame instanceof Float32Array || frame instanceof Float64Array)) return frame;
  const out = new Int32Array(frame.length);
  for (let i = 0; i < frame.length; i++) out[i] = Math.round(frame[i] as number);
  return out;
}

function lutValue(lut: LookupTable, index: number): number {
  const i = Math.min(Math.max(index - lut.firstValueMapped, 0), lut.data.length - 1);
  const v = lut.data[i] as number;
  return lut.bitsPerEntry > 8 ? v >> (lut.bitsPerEntry - 8) : v;
}

/** RGBA bytes of a colour frame (RGB, YBR_* left as YBR by the codec, or PALETTE COLOR). */
export function colourToRgba(image: DecodedImage, frame: PixelArray): Uint8ClampedArray {
  const pixels = image.rows * image.columns;
  const rgba = new Uint8ClampedArray(pixels * 4);
  if (image.photometricInterpretation === 'PALETTE COLOR' && image.palette) {
    const { red, green, blue } = image.palette;
    for (let p = 0; p < pixels; p++) {
      const v = frame[p] as number;
      rgba[p * 4] = lutValue(red, v);
      rgba[p * 4 + 1] = lutValue(green, v);
      rgba[p * 4 + 2] = lutValue(blue, v);
      rgba[p * 4 + 3] = 255;
    }
    return rgba;
  }
  const rgb = image.photometricInterpretation.startsWith('YBR_FULL') ? ybrFullToRgb(frame, image.bitsStored) : frame;
  const shift = Math.max(0, image.bitsStored - 8);
  for (let p = 0; p < pixels; p++) {
    rgba[p * 4] = (rgb[p * 3] as number) >> shift;
    rgba[p * 4 + 1] = (rgb[p * 3 + 1] as number) >> shift;
    rgba[p * 4 + 2] = (rgb[p * 3 + 2] as number) >> shift;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

export function isColour(image: DecodedImage): boolean {
  return image.samplesPerPixel === 3 || image.photometricInterpretation === 'PALETTE COLOR';
}

/** The window shown first: the file's first window, else the full range of modality values. */
export function defaultWindow(
  image: Pick<DecodedImage, 'windowCenter' | 'windowWidth' | 'rescaleSlope' | 'rescaleIntercept'>,
  storedMin: number,
  storedMax: number,
): DisplayWindow {
  const center = image.windowCenter[0];
  const width = image.windowWidth[0];
  if (center !== undefined && width !== undefined && Number.isFinite(center) && width > 0) return { center, width };
  const a = storedMin * image.rescaleSlope + image.rescaleIntercept;
  const b = storedMax * image.rescaleSlope + image.rescaleIntercept;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return { center: (lo + hi) / 2, width: Math.max(hi - lo, 1) };
}

export function toCornerstoneImage(imageId: string, image: DecodedImage, frameIndex: number): Image {
  const frame = image.frames[frameIndex];
  if (!frame) throw new RangeError(`Expected a frame index below ${image.frames.length}, but got ${frameIndex}`);
  const colour = isColour(image);
  const pixelData: ArrayLike<number> = colour ? colourToRgba(image, frame) : integerPixels(frame);
  const [min, max] = colour ? [0, 255] : minMax(pixelData);
  const window = colour ? { center: 127.5, width: 256 } : defaultWindow(image, min, max);
  const [rowSpacing, columnSpacing] = image.pixelSpacing ?? [1, 1];
  const cornerstoneImage = {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope: colour ? 1 : image.rescaleSlope,
    intercept: colour ? 0 : image.rescaleIntercept,
    windowCenter: window.center,
    windowWidth: window.width,
    // cornerstone reads pixels by index only; its d.ts says number[] but typed arrays are what loaders return.
    getPixelData: () => pixelData as unknown as number[],
    rows: image.rows,
    columns: image.columns,
    height: image.rows,
    width: image.columns,
    color: colour,
    rgba: false,
    columnPixelSpacing: columnSpacing,
    rowPixelSpacing: rowSpacing,
    invert: image.photometricInterpretation === 'MONOCHROME1',
    sizeInBytes: (pixelData as unknown as { byteLength: number }).byteLength,
  };
  // The @types Image lists render-time fields (lut, cachedLut, getCanvas…) that cornerstone fills itself.
  return cornerstoneImage as unknown as Image;
}
