/**
 * The decoded form of one DICOM (or PNG/JPEG) image: the contract between core/dicom and
 * everything downstream (core/preprocess, the cornerstone loader, training readers).
 * Attributes are named after their DICOM keywords (PS3.6).
 */

/** Stored pixel values of one frame, one typed array per frame, sample-interleaved (planar config normalised to 0). */
export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export type PhotometricInterpretation =
  | 'MONOCHROME1'
  | 'MONOCHROME2'
  | 'RGB'
  | 'YBR_FULL'
  | 'YBR_FULL_422'
  | 'YBR_RCT'
  | 'YBR_ICT'
  | 'PALETTE COLOR';

/** A VOI LUT (PS3.3 C.11.2) or a palette LUT (C.7.6.3): first mapped value, bits per entry and the table. */
export interface LookupTable {
  firstValueMapped: number;
  bitsPerEntry: number;
  data: Uint16Array;
}

export interface PaletteLuts {
  red: LookupTable;
  green: LookupTable;
  blue: LookupTable;
}

export interface DecodedImage {
  /** Where the image came from: 'dicom', 'png' or 'jpeg'. */
  source: 'dicom' | 'png' | 'jpeg';
  transferSyntaxUID: string | undefined;
  rows: number;
  columns: number;
  /** NumberOfFrames (1 when absent). `frames.length === numberOfFrames`. */
  numberOfFrames: number;
  samplesPerPixel: number;
  /**
   * Photometric interpretation of the pixels *as returned* (codecs that convert YBR to RGB
   * report RGB here); `photometricInterpretationStored` keeps the tag's value.
   */
  photometricInterpretation: PhotometricInterpretation;
  photometricInterpretationStored: string;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  /** Modality LUT (PS3.3 C.11.1): output = stored * slope + intercept. */
  rescaleSlope: number;
  rescaleIntercept: number;
  rescaleType: string | undefined;
  /** VOI window(s) (PS3.3 C.11.2), possibly several; empty when absent. */
  windowCenter: number[];
  windowWidth: number[];
  voiLutFunction: string | undefined;
  voiLut: LookupTable | undefined;
  palette: PaletteLuts | undefined;
  modality: string | undefined;
  bodyPartExamined: string | undefined;
  viewPosition: string | undefined;
  /** [row spacing, column spacing] in mm, from PixelSpacing or ImagerPixelSpacing. */
  pixelSpacing: [number, number] | undefined;
  studyInstanceUID: string | undefined;
  seriesInstanceUID: string | undefined;
  sopInstanceUID: string | undefined;
  sopClassUID: string | undefined;
  /**
   * One typed array per frame, length rows * columns * samplesPerPixel. All frames unless the
   * caller asked for some (DecodeOptions.frames): then `decodedFrameIndices` names them.
   */
  frames: PixelArray[];
  /** Zero-based frame index of each entry of `frames`, present only when a subset was decoded. */
  decodedFrameIndices?: number[];
  /** Every other attribute, keyword-less, as text for display (tag "ggggeeee" → value). Untrusted. */
  tags: Record<string, string>;
  /**
   * Conformance problems the decoder worked around, as sentences (e.g. "The transfer syntax says
   * JPEG Lossless SV1, but the pixel data is JPEG progressive (SOF2); …"). Absent when none.
   */
  warnings?: string[];
}

/**
 * Builds a DecodedImage in memory from pixels the caller already has (PNG/JPEG readers, the
 * phantom generator, tests): DICOM defaults — MONOCHROME2, one sample, unsigned unless the
 * arrays are signed, slope 1, intercept 0, no window, modality OT — each overridable.
 */
export function createDecodedImage(
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
