/**
 * The start of a DICOM Part 10 file (PS3.10 §7.1): 128-byte preamble, "DICM", and the File
 * Meta Information (group 0002, explicit VR little endian, with its group length). Shared by
 * every writer: training's image writer and the structured-report writer.
 */
import type { ElementSpec } from './element-spec.ts';
import { encodeElement } from './encode-element.ts';
import { concatBytes } from '../bytes/concat-bytes.ts';

/** Implementation Class UID of files RadLocal writes (2.25 root, fixed). */
export const IMPLEMENTATION_CLASS_UID = '2.25.233815239106410914129476093120196330271';
export const IMPLEMENTATION_VERSION_NAME = 'RADLOCAL_0_1';

export interface Part10Meta {
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
}

/** @returns preamble + "DICM" + group 0002, ready for the data set's bytes. */
export function part10Header(meta: Part10Meta): Uint8Array {
  const body = concatBytes(
    (
      [
        { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
        { tag: 0x00020002, vr: 'UI', value: meta.sopClassUID },
        { tag: 0x00020003, vr: 'UI', value: meta.sopInstanceUID },
        { tag: 0x00020010, vr: 'UI', value: meta.transferSyntaxUID },
        { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
        { tag: 0x00020013, vr: 'SH', value: IMPLEMENTATION_VERSION_NAME },
      ] satisfies ElementSpec[]
    ).map((spec) => encodeElement(spec)),
  );
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return concatBytes([preamble, encodeElement({ tag: 0x00020000, vr: 'UL', value: body.length }), body]);
}
