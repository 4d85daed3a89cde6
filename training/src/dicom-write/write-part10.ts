/**
 * DICOM Part 10 files (PS3.10 §7.1): 128-byte preamble, "DICM", File Meta Information
 * (group 0002, explicit VR LE, with its group length), then the data set in Explicit VR
 * Little Endian, elements in ascending tag order, Pixel Data last — native or encapsulated.
 */
import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  JPEG_2000_LOSSLESS,
  JPEG_LS_LOSSLESS,
  RLE_LOSSLESS,
} from '../../../core/dicom/transfer-syntax-uids.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { ElementSpec } from '../../../core/dicom-write/element-spec.ts';
import { encapsulatedPixelData } from './encapsulate.ts';
import { encodeElement } from '../../../core/dicom-write/encode-element.ts';
import { concatBytes } from '../../../core/bytes/concat-bytes.ts';
import { part10Header } from '../../../core/dicom-write/part10-header.ts';
import { encodeRleFrame } from './rle-encode.ts';
import { encodeJpeg2000Lossless, encodeJpegLsLossless } from './wasm-encoders.ts';

export type WriteTransferSyntax = typeof EXPLICIT_VR_LITTLE_ENDIAN | typeof RLE_LOSSLESS | typeof JPEG_LS_LOSSLESS | typeof JPEG_2000_LOSSLESS;

export interface Part10Input {
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: WriteTransferSyntax;
  /** Every attribute except Pixel Data and group 0002 (rows, columns, bits… must be here). */
  dataset: readonly ElementSpec[];
  /** One or more frames of unsigned monochrome stored values, each rows × columns. */
  frames: readonly (Uint8Array | Uint16Array)[];
  rows: number;
  columns: number;
  bitsStored: number;
}

async function pixelDataElement(input: Part10Input): Promise<Uint8Array> {
  const { frames, rows, columns, bitsStored } = input;
  for (const f of frames) {
    if (f.length !== rows * columns) throw new RadLocalError('INTERNAL', `Expected ${rows * columns} pixels per frame, but got ${f.length}.`);
  }
  switch (input.transferSyntaxUID) {
    case EXPLICIT_VR_LITTLE_ENDIAN: {
      const views = frames.map((f) => new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
      const bytes = views.length === 1 ? (views[0] as Uint8Array) : concatBytes(views);
      return encodeElement({ tag: 0x7fe00010, vr: frames[0] instanceof Uint8Array ? 'OB' : 'OW', value: bytes });
    }
    case RLE_LOSSLESS:
      return encapsulatedPixelData(frames.map((f) => encodeRleFrame(f, rows, columns)));
    case JPEG_LS_LOSSLESS:
      return encapsulatedPixelData(await Promise.all(frames.map((f) => encodeJpegLsLossless(f, rows, columns, bitsStored))));
    case JPEG_2000_LOSSLESS:
      return encapsulatedPixelData(await Promise.all(frames.map((f) => encodeJpeg2000Lossless(f, rows, columns, bitsStored))));
  }
}

/** @returns the complete file bytes. */
export async function writePart10(input: Part10Input): Promise<Uint8Array> {
  const specs = [...input.dataset].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  for (let i = 1; i < specs.length; i++) {
    if (specs[i]?.tag === specs[i - 1]?.tag) throw new RadLocalError('INTERNAL', `Expected each attribute once, but tag ${(specs[i]?.tag ?? 0).toString(16)} appears twice.`);
  }
  return concatBytes([part10Header(input), ...specs.map((spec) => encodeElement(spec)), await pixelDataElement(input)]);
}
