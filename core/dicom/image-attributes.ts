/**
 * Reads the Image Pixel (PS3.3 C.7.6.3), Modality LUT (C.11.1), VOI LUT (C.11.2), palette and
 * identifying attributes from a parsed data set, validating what the decoders rely on.
 */
import type { DataSet, Element } from 'dicom-parser';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { DecodedImage, LookupTable, PaletteLuts, PhotometricInterpretation } from './decoded-image.ts';
import type { FrameInfo } from './frame-info.ts';
import { expandSegmentedLut } from './segmented-lut.ts';

const PHOTOMETRICS: readonly PhotometricInterpretation[] = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT', 'PALETTE COLOR'];
const BITS_ALLOCATED = new Set([1, 8, 16, 32, 64]);
const MAX_FRAMES = 1 << 20;

/** The attributes of DecodedImage that do not depend on the pixels. */
export type ImageAttributes = Omit<DecodedImage, 'source' | 'transferSyntaxUID' | 'frames' | 'tags' | 'photometricInterpretation'>;

function invalid(message: string): never {
  throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', message);
}

function text(dataSet: DataSet, tag: string): string | undefined {
  const value = dataSet.string(tag);
  return value === undefined || value === '' ? undefined : value;
}

function decimals(dataSet: DataSet, tag: string): number[] {
  const count = dataSet.numStringValues(tag) ?? 0;
  const out: number[] = [];
  for (let i = 0; i < Math.min(count, 64); i++) {
    const v = dataSet.floatString(tag, i);
    if (v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return out;
}

function decimal(dataSet: DataSet, tag: string, fallback: number): number {
  const v = dataSet.floatString(tag);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

function requiredUint16(dataSet: DataSet, tag: string, name: string): number {
  const v = dataSet.elements[tag] ? dataSet.uint16(tag) : undefined;
  if (v === undefined) invalid(`Expected the image attribute ${name} (${tag.slice(1, 5)},${tag.slice(5)}), but it is missing.`);
  return v;
}

/** Reads a LUT Descriptor (3 × US/SS) and LUT Data (US/OW) into a LookupTable, or undefined when malformed. */
function lookupTable(dataSet: DataSet, descriptorTag: string, dataTag: string, signedFirst: boolean): LookupTable | undefined {
  const descriptor = dataSet.elements[descriptorTag];
  const data = dataSet.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return undefined;
  const entries = dataSet.uint16(descriptorTag, 0) || 65536;
  const first = dataSet.uint16(descriptorTag, 1) ?? 0;
  const bitsPerEntry = dataSet.uint16(descriptorTag, 2) ?? 16;
  const words = Math.floor(data.length / 2);
  const table = new Uint16Array(entries);
  if (words >= entries) {
    for (let i = 0; i < entries; i++) table[i] = dataSet.uint16(dataTag, i) ?? 0;
  } else if (bitsPerEntry === 8 && data.length >= entries) {
    const bytes = dataSet.byteArray;
    for (let i = 0; i < entries; i++) table[i] = bytes[data.dataOffset + i] as number;
  } else {
    return undefined;
  }
  return { firstValueMapped: signedFirst && first > 0x7fff ? first - 0x10000 : first, bitsPerEntry, data: table };
}

function voiLut(dataSet: DataSet, signed: boolean): LookupTable | undefined {
  const item = dataSet.elements.x00283010?.items?.[0]?.dataSet;
  return item ? lookupTable(item, 'x00283002', 'x00283006', signed) : undefined;
}

/** A palette LUT given as Segmented Palette Color LUT Data (C.7.9.2) instead of plain LUT Data. */
function segmentedLookupTable(dataSet: DataSet, descriptorTag: string, dataTag: string): LookupTable | undefined {
  const descriptor = dataSet.elements[descriptorTag];
  const data = dataSet.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return undefined;
  const words = new Uint16Array(Math.floor(data.length / 2));
  for (let i = 0; i < words.length; i++) words[i] = dataSet.uint16(dataTag, i) ?? 0;
  return {
    firstValueMapped: dataSet.uint16(descriptorTag, 1) ?? 0,
    bitsPerEntry: dataSet.uint16(descriptorTag, 2) ?? 16,
    data: expandSegmentedLut(words, dataSet.uint16(descriptorTag, 0) || 65536),
  };
}

function palette(dataSet: DataSet): PaletteLuts | undefined {
  const channel = (descriptor: string, data: string, segmented: string): LookupTable | undefined =>
    lookupTable(dataSet, descriptor, data, false) ?? segmentedLookupTable(dataSet, descriptor, segmented);
  const red = channel('x00281101', 'x00281201', 'x00281221');
  const green = channel('x00281102', 'x00281202', 'x00281222');
  const blue = channel('x00281103', 'x00281203', 'x00281223');
  return red && green && blue ? { red, green, blue } : undefined;
}

function spacing(dataSet: DataSet): [number, number] | undefined {
  for (const tag of ['x00280030', 'x00181164']) {
    const values = decimals(dataSet, tag);
    if (values.length >= 2 && values[0]! > 0 && values[1]! > 0) return [values[0]!, values[1]!];
  }
  return undefined;
}

/** The pixel data element: Pixel Data, Float Pixel Data or Double Float Pixel Data. */
export function pixelDataElement(dataSet: DataSet): { element: Element; isFloat: boolean } | undefined {
  const element = dataSet.elements.x7fe00010;
  if (element) return { element, isFloat: false };
  const float = dataSet.elements.x7fe00008 ?? dataSet.elements.x7fe00009;
  return float ? { element: float, isFloat: true } : undefined;
}

/**
 * @returns The frame description the decoders use and the image-level attributes.
 * @throws RadLocalError DICOM_INVALID_ATTRIBUTE for missing or impossible pixel attributes.
 */
export function readImageAttributes(dataSet: DataSet, isFloat: boolean, pixelVr: string | undefined, bigEndian: boolean): { info: FrameInfo; attributes: ImageAttributes } {
  const rows = requiredUint16(dataSet, 'x00280010', 'Rows');
  const columns = requiredUint16(dataSet, 'x00280011', 'Columns');
  if (rows < 1 || columns < 1) invalid(`Expected Rows and Columns of at least 1, but got ${rows}×${columns}.`);
  const samplesPerPixel = dataSet.elements.x00280002 ? (dataSet.uint16('x00280002') ?? 1) : 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) invalid(`Expected Samples per Pixel 1 or 3, but got ${samplesPerPixel}.`);
  const bitsAllocated = requiredUint16(dataSet, 'x00280100', 'Bits Allocated');
  if (!BITS_ALLOCATED.has(bitsAllocated)) invalid(`Expected Bits Allocated 1, 8, 16, 32 or 64, but got ${bitsAllocated}.`);
  if (bitsAllocated === 64 && !isFloat) invalid('Bits Allocated 64 is only valid for Double Float Pixel Data.');
  const bitsStoredRaw = dataSet.elements.x00280101 ? dataSet.uint16('x00280101') : undefined;
  if (bitsStoredRaw !== undefined && (bitsStoredRaw < 1 || bitsStoredRaw > bitsAllocated)) invalid(`Expected Bits Stored between 1 and Bits Allocated (${bitsAllocated}), but got ${bitsStoredRaw}.`);
  const bitsStored = bitsStoredRaw ?? bitsAllocated;
  const highBitRaw = dataSet.elements.x00280102 ? dataSet.uint16('x00280102') : undefined;
  const highBit = highBitRaw === undefined || highBitRaw >= bitsAllocated ? bitsStored - 1 : highBitRaw;
  // Enumerated values are checked, not guessed: the reference toolkits read other values differently.
  const pixelRepresentationRaw = (dataSet.elements.x00280103 ? dataSet.uint16('x00280103') : 0) ?? 0;
  if (pixelRepresentationRaw !== 0 && pixelRepresentationRaw !== 1) invalid(`Expected Pixel Representation 0 (unsigned) or 1 (signed), but got ${pixelRepresentationRaw}.`);
  const pixelRepresentation: 0 | 1 = pixelRepresentationRaw;
  const planarRaw = (samplesPerPixel > 1 && dataSet.elements.x00280006 ? dataSet.uint16('x00280006') : 0) ?? 0;
  if (planarRaw !== 0 && planarRaw !== 1) invalid(`Expected Planar Configuration 0 or 1, but got ${planarRaw}.`);
  const planarConfiguration: 0 | 1 = planarRaw;
  const photometricElement = dataSet.elements.x00280004;
  const storedPhotometric = (text(dataSet, 'x00280004') ?? '').trim().toUpperCase();
  if (photometricElement && photometricElement.length > 0 && storedPhotometric === '') invalid('The Photometric Interpretation attribute is present but unreadable.');
  const photometric = (storedPhotometric || (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')) as PhotometricInterpretation;
  if (!PHOTOMETRICS.includes(photometric)) invalid(`Expected a supported Photometric Interpretation (${PHOTOMETRICS.join(', ')}), but got "${storedPhotometric}".`);
  const colour = photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2' && photometric !== 'PALETTE COLOR';
  if (colour !== (samplesPerPixel === 3)) invalid(`Photometric Interpretation ${photometric} does not fit ${samplesPerPixel} sample(s) per pixel.`);
  const framesText = text(dataSet, 'x00280008');
  const parsedFrames = framesText === undefined ? 1 : Number.parseInt(framesText, 10);
  if (!Number.isFinite(parsedFrames) || parsedFrames > MAX_FRAMES) invalid(`Expected Number of Frames to be a whole number up to ${MAX_FRAMES}, but got "${framesText}".`);
  const numberOfFrames = Math.max(1, parsedFrames);
  const info: FrameInfo = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    planarConfiguration,
    photometricInterpretation: photometric,
    isFloat,
    bigEndian,
    pixelVr,
  };
  const attributes: ImageAttributes = {
    rows,
    columns,
    numberOfFrames,
    samplesPerPixel,
    photometricInterpretationStored: storedPhotometric || photometric,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    rescaleSlope: decimal(dataSet, 'x00281053', 1),
    rescaleIntercept: decimal(dataSet, 'x00281052', 0),
    rescaleType: text(dataSet, 'x00281054'),
    windowCenter: decimals(dataSet, 'x00281050'),
    windowWidth: decimals(dataSet, 'x00281051'),
    voiLutFunction: text(dataSet, 'x00281056'),
    voiLut: voiLut(dataSet, pixelRepresentation === 1),
    palette: photometric === 'PALETTE COLOR' ? palette(dataSet) : undefined,
    modality: text(dataSet, 'x00080060'),
    bodyPartExamined: text(dataSet, 'x00180015'),
    viewPosition: text(dataSet, 'x00185101'),
    pixelSpacing: spacing(dataSet),
    studyInstanceUID: text(dataSet, 'x0020000d'),
    seriesInstanceUID: text(dataSet, 'x0020000e'),
    sopInstanceUID: text(dataSet, 'x00080018'),
    sopClassUID: text(dataSet, 'x00080016'),
  };
  return { info, attributes };
}
