/**
 * decodeDicom: DICOM bytes → DecodedImage, the same code in Node and in the browser.
 *
 * parse (dicom-parser) → image attributes → size check (before allocating) → frame bytes →
 * the transfer syntax's frame decoder (one table, ./transfer-syntax-table.ts) → DecodedImage.
 *
 * Usage from a browser Web Worker (the WASM codecs need URLs for their .wasm files there):
 *
 *   import { decodeDicom } from '../../../core/dicom/decode-dicom.ts';
 *   import { browserCodecProvider } from '../shared/codecs/browser-codec-provider.ts';
 *   self.onmessage = async (event: MessageEvent<ArrayBuffer>) => {
 *     const image = await decodeDicom(new Uint8Array(event.data), { codecs: browserCodecProvider });
 *     self.postMessage(image, image.frames.map((f) => f.buffer)); // frames own their buffers
 *   };
 *
 * In Node (CLI, tests) pass no provider: the codecs find their .wasm beside their JS.
 * Every failure is a RadLocalError (DICOM_NOT_DICOM, DICOM_TRUNCATED, DICOM_NO_PIXEL_DATA,
 * DICOM_UNSUPPORTED_TRANSFER_SYNTAX, DICOM_PIXEL_LENGTH_MISMATCH, DICOM_INVALID_ATTRIBUTE,
 * DICOM_DECODE_FAILED, INPUT_TOO_LARGE); the input bytes are never modified.
 */
import type { DataSet } from 'dicom-parser';
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { CodecProvider } from './codec-provider.ts';
import { ybrFullToRgb } from './color.ts';
import type { DecodedImage, PixelArray } from './decoded-image.ts';
import { nativeFrameBits } from './decoders/native.ts';
import type { DecodedFrame, FrameInfo } from './frame-info.ts';
import { pixelDataElement, readImageAttributes } from './image-attributes.ts';
import { parseDataSet, readFragmentsInPlace, wrapParserError } from './parse-dataset.ts';
import { outputBytesPerSample, samplesPerFrame } from './pixel-arrays.ts';
import { encapsulatedFrames, nativeFrame } from './pixel-frames.ts';
import { tagsAsText } from './tag-text.ts';
import { transferSyntaxOf } from './transfer-syntax-table.ts';

/** Default cap on decoded pixel bytes (all requested frames together): 1 GiB. */
export const DEFAULT_MAX_DECODED_BYTES = 1024 ** 3;

export interface DecodeOptions {
  /**
   * Refuse (INPUT_TOO_LARGE) an image whose decoded pixels would exceed this many bytes, or a
   * deflated data set that inflates beyond it — checked before allocating. Default 1 GiB.
   */
  maxDecodedBytes?: number;
  /**
   * Zero-based indices of the frames to decode, in the order wanted. Default: all frames.
   * When given, `DecodedImage.frames` holds only these and `decodedFrameIndices` names them.
   */
  frames?: readonly number[];
  /** Where the WASM codecs find their .wasm files; needed in browsers, not in Node. */
  codecs?: CodecProvider;
}

function frameIndices(requested: readonly number[] | undefined, numberOfFrames: number): number[] {
  if (requested === undefined) return Array.from({ length: numberOfFrames }, (_, i) => i);
  for (const i of requested) {
    if (!Number.isInteger(i) || i < 0 || i >= numberOfFrames) {
      throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', `Expected frame indices between 0 and ${numberOfFrames - 1}, but got ${i}.`);
    }
  }
  return [...requested];
}

function checkDecodedSize(info: FrameInfo, frameCount: number, limit: number): void {
  const bytes = samplesPerFrame(info) * outputBytesPerSample(info) * frameCount;
  if (bytes > limit) {
    throw new RadLocalError(
      'INPUT_TOO_LARGE',
      `The image would need ${bytes} bytes once decoded (${info.columns}×${info.rows}, ${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits, ${frameCount} frame(s)), more than the ${limit}-byte limit.`,
    );
  }
}

/** Final colour normalisation shared by all decoders: any YBR_FULL output becomes RGB. */
function toOutputColour(frame: DecodedFrame, info: FrameInfo): DecodedFrame {
  if (info.samplesPerPixel === 3 && (frame.photometricInterpretation === 'YBR_FULL' || frame.photometricInterpretation === 'YBR_FULL_422')) {
    return { ...frame, pixels: ybrFullToRgb(frame.pixels, info.bitsStored), photometricInterpretation: 'RGB' };
  }
  return frame;
}

function checkNativeLength(dataSet: DataSet, elementLength: number, dataOffset: number, info: FrameInfo, numberOfFrames: number): void {
  const needed = Math.ceil((nativeFrameBits(info) * numberOfFrames) / 8);
  if (dataOffset + elementLength > dataSet.byteArray.length) {
    throw new RadLocalError('DICOM_TRUNCATED', `The DICOM file ends inside its pixel data: ${elementLength} bytes declared, ${dataSet.byteArray.length - dataOffset} present.`);
  }
  if (elementLength < needed) {
    throw new RadLocalError(
      'DICOM_PIXEL_LENGTH_MISMATCH',
      `Expected ${needed} bytes of pixel data for ${numberOfFrames} frame(s) of ${info.columns}×${info.rows}×${info.samplesPerPixel} at ${info.bitsAllocated} bits, but found ${elementLength}.`,
    );
  }
}

/**
 * Decodes a DICOM file.
 * @param bytes The whole file (Part 10, with or without preamble, or a bare data set).
 * @returns Frames as typed arrays of stored values (dtype per BitsAllocated / PixelRepresentation,
 *   float for float pixel data), sample-interleaved, colour returned as RGB.
 */
export async function decodeDicom(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const limit = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const { dataSet, transferSyntaxUID } = parseDataSet(bytes, limit);
  const pixel = pixelDataElement(dataSet);
  if (!pixel) throw new RadLocalError('DICOM_NO_PIXEL_DATA', 'This DICOM file has no pixel data (it may be a report, a structure set or a directory).');
  const syntax = transferSyntaxOf(transferSyntaxUID);
  if (!syntax) {
    throw new RadLocalError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', `The image is encoded with transfer syntax ${transferSyntaxUID}, which RadLocal cannot decode.`);
  }
  let read: ReturnType<typeof readImageAttributes>;
  let tags: Record<string, string>;
  try {
    read = readImageAttributes(dataSet, pixel.isFloat, pixel.element.vr, syntax.bigEndian);
    tags = tagsAsText(dataSet);
  } catch (error) {
    throw wrapParserError(error);
  }
  const { info, attributes } = read;
  const indices = frameIndices(options.frames, attributes.numberOfFrames);
  checkDecodedSize(info, indices.length, limit);

  const element = pixel.element;
  let encoded: Uint8Array[];
  const isEncapsulated = syntax.encapsulated ? readFragmentsInPlace(dataSet, element) : Boolean(element.encapsulatedPixelData);
  if (syntax.encapsulated !== isEncapsulated) {
    throw new RadLocalError(
      'DICOM_DECODE_FAILED',
      `Transfer syntax ${syntax.name} expects ${syntax.encapsulated ? 'encapsulated' : 'native'} pixel data, but the file holds ${isEncapsulated ? 'encapsulated' : 'native'} pixel data.`,
    );
  }
  if (syntax.encapsulated) {
    encoded = encapsulatedFrames(dataSet, element, attributes.numberOfFrames, indices);
  } else {
    checkNativeLength(dataSet, element.length, element.dataOffset, info, attributes.numberOfFrames);
    encoded = indices.map((i) => nativeFrame(dataSet.byteArray as Uint8Array, element, info, i));
  }

  const frames: PixelArray[] = [];
  const warnings = new Set<string>();
  let photometric = info.photometricInterpretation;
  for (const frameBytes of encoded) {
    const decoded = toOutputColour(await syntax.decode(frameBytes, info, { codecs: options.codecs }), info);
    for (const w of decoded.warnings ?? []) warnings.add(w);
    if (decoded.pixels.length !== samplesPerFrame(info)) {
      throw new RadLocalError('DICOM_DECODE_FAILED', `A frame decoded to ${decoded.pixels.length} samples, expected ${samplesPerFrame(info)}.`);
    }
    frames.push(decoded.pixels);
    photometric = decoded.photometricInterpretation;
  }

  const image: DecodedImage = {
    source: 'dicom',
    transferSyntaxUID,
    ...attributes,
    photometricInterpretation: photometric,
    frames,
    tags,
  };
  if (options.frames !== undefined) image.decodedFrameIndices = indices;
  if (warnings.size > 0) image.warnings = [...warnings];
  return image;
}
