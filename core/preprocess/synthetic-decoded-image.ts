/**
 * Builds DecodedImage objects in memory (no file), for tests and for the phantom
 * generator's previews: the caller states exactly the pixels and attributes it feeds in.
 */
import type { DecodedImage, PixelArray } from '../dicom/decoded-image.ts';

/**
 * A single- or multi-frame image with DICOM defaults (MONOCHROME2, unsigned, slope 1,
 * intercept 0, no window); every attribute can be overridden.
 */
export function syntheticDecodedImage(
  rows: number,
  columns: number,
  frames: PixelArray[],
  overrides: Partial<DecodedImage> = {},
): DecodedImage {
  const first = frames[0];
  const bitsAllocated = first instanceof Uint8Array || first instanceof Int8Array ? 8 : first instanceof Float32Array ? 32 : first instanceof Float64Array ? 64 : 16;
  return {
    source: 'dicom',
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    rows,
    columns,
    numberOfFrames: frames.length,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    photometricInterpretationStored: overrides.photometricInterpretation ?? 'MONOCHROME2',
    bitsAllocated,
    bitsStored: bitsAllocated,
    highBit: bitsAllocated - 1,
    pixelRepresentation: first instanceof Int8Array || first instanceof Int16Array || first instanceof Int32Array ? 1 : 0,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    rescaleType: undefined,
    windowCenter: [],
    windowWidth: [],
    voiLutFunction: undefined,
    voiLut: undefined,
    palette: undefined,
    modality: 'OT',
    bodyPartExamined: undefined,
    viewPosition: undefined,
    pixelSpacing: undefined,
    studyInstanceUID: undefined,
    seriesInstanceUID: undefined,
    sopInstanceUID: undefined,
    sopClassUID: undefined,
    frames,
    tags: {},
    ...overrides,
  };
}
