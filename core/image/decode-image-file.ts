/**
 * decodeImageFile: any supported image file (DICOM, PNG, JPEG; detected by content) →
 * DecodedImage. PNG and JPEG become one-frame images: grey as MONOCHROME2, colour as RGB
 * (alpha dropped), 8- or 16-bit unsigned stored values, no rescale, no window.
 */
import { decode as decodePng, convertIndexedToRgb, type DecodedPng } from 'fast-png';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { readJpegHeader } from '../dicom/codestream-headers.ts';
import { decodeDicom, DEFAULT_MAX_DECODED_BYTES, type DecodeOptions } from '../dicom/decode-dicom.ts';
import { createDecodedImage, type DecodedImage, type PixelArray } from '../dicom/decoded-image.ts';
import { decodeJpegBaseline } from '../dicom/decoders/jpeg-baseline.ts';
import type { FrameInfo } from '../dicom/frame-info.ts';
import { detectImageFormat } from './detect-format.ts';

function failed(kind: string, detail: string, cause?: unknown): RadLocalError {
  return new RadLocalError('IMAGE_DECODE_FAILED', `The ${kind} image could not be read: ${detail}`, cause === undefined ? undefined : { cause });
}

function checkSize(width: number, height: number, bytesPerPixel: number, limit: number): void {
  const bytes = width * height * bytesPerPixel;
  if (bytes > limit) {
    throw new RadLocalError('INPUT_TOO_LARGE', `The image would need ${bytes} bytes once decoded (${width}×${height}), more than the ${limit}-byte limit.`);
  }
}

function plainImage(source: 'png' | 'jpeg', width: number, height: number, channels: 1 | 3, bits: number, pixels: PixelArray): DecodedImage {
  const photometric = channels === 1 ? 'MONOCHROME2' : 'RGB';
  return createDecodedImage(height, width, [pixels], {
    source,
    transferSyntaxUID: undefined,
    samplesPerPixel: channels,
    photometricInterpretation: photometric,
    photometricInterpretationStored: photometric,
    bitsAllocated: bits > 8 ? 16 : 8,
    bitsStored: bits,
    highBit: bits - 1,
    pixelRepresentation: 0,
    modality: undefined,
  });
}

/** Keeps the first `keep` of every `channels` samples (drops alpha); returns a new array. */
function dropChannels(data: PixelArray, channels: number, keep: number): PixelArray {
  const pixels = data.length / channels;
  const out = new (data.constructor as new (length: number) => PixelArray)(pixels * keep);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < keep; c++) out[p * keep + c] = data[p * channels + c] as number;
  return out;
}

/** PNG rows of 1/2/4-bit samples are packed MSB first and padded to a byte. */
function unpackLowDepth(png: DecodedPng): Uint8Array {
  const { width, height, depth } = png;
  const data = png.data as Uint8Array;
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)] as number;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function readPngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24) throw failed('PNG', `expected an IHDR chunk, but the file has only ${bytes.length} bytes.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function decodePngImage(bytes: Uint8Array, limit: number): DecodedImage {
  const size = readPngSize(bytes);
  checkSize(size.width, size.height, 8, limit); // worst case: 16-bit RGBA
  let png: DecodedPng;
  try {
    png = decodePng(bytes);
  } catch (error) {
    throw failed('PNG', error instanceof Error ? error.message : String(error), error);
  }
  const { width, height } = png;
  if (width < 1 || height < 1) throw failed('PNG', `expected a positive size, got ${width}×${height}.`);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const channels = rgb.length / (width * height);
    return plainImage('png', width, height, 3, 8, channels === 3 ? rgb : dropChannels(rgb, channels, 3));
  }
  const bits = png.depth;
  let data: PixelArray = png.data as PixelArray;
  if (bits < 8 && data.length < width * height * png.channels) data = unpackLowDepth(png);
  if (png.data instanceof Uint8ClampedArray) data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  const grey = png.channels <= 2;
  const keep = grey ? 1 : 3;
  const pixels = png.channels === keep ? data : dropChannels(data, png.channels, keep);
  return plainImage('png', width, height, grey ? 1 : 3, bits, pixels);
}

async function decodeJpegImage(bytes: Uint8Array, options: DecodeOptions, limit: number): Promise<DecodedImage> {
  const header = readJpegHeader(bytes);
  if (!header || header.rows < 1 || header.columns < 1) throw failed('JPEG', 'no valid frame header (SOF) was found.');
  if (header.precision !== 8) throw failed('JPEG', `only 8-bit JPEG files are supported, this one has ${header.precision}-bit samples.`);
  if (header.components !== 1 && header.components !== 3) throw failed('JPEG', `expected 1 or 3 components, got ${header.components}.`);
  checkSize(header.columns, header.rows, header.components, limit);
  const channels = header.components;
  // Same decoder as DICOM JPEG baseline; a plain JPEG without colour markers is YCbCr (JFIF convention).
  const info: FrameInfo = {
    rows: header.rows,
    columns: header.columns,
    samplesPerPixel: channels,
    bitsAllocated: 8,
    bitsStored: 8,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: channels === 3 ? 'YBR_FULL' : 'MONOCHROME2',
    isFloat: false,
    bigEndian: false,
    pixelVr: undefined,
  };
  try {
    const frame = await decodeJpegBaseline(bytes, info, { codecs: options.codecs });
    return plainImage('jpeg', header.columns, header.rows, channels, 8, frame.pixels);
  } catch (error) {
    if (error instanceof RadLocalError && error.code === 'DICOM_DECODE_FAILED') throw failed('JPEG', error.message, error);
    throw error;
  }
}

/**
 * @param bytes The whole file. Never modified.
 * @param options As for decodeDicom; `maxDecodedBytes` also bounds PNG/JPEG.
 * @throws RadLocalError IMAGE_DECODE_FAILED for a broken PNG/JPEG, DICOM_NOT_DICOM for
 *   anything unrecognised, and decodeDicom's errors for DICOM files.
 */
export async function decodeImageFile(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const limit = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  switch (detectImageFormat(bytes)) {
    case 'png':
      return decodePngImage(bytes, limit);
    case 'jpeg':
      return decodeJpegImage(bytes, options, limit);
    case 'dicom':
      return decodeDicom(bytes, options);
    default:
      throw new RadLocalError('DICOM_NOT_DICOM', `Expected a DICOM, PNG or JPEG file, but these ${bytes.length} bytes are none of them.`);
  }
}
