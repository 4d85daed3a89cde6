/**
 * Finds the bytes of each frame in the pixel data element: native frames by arithmetic,
 * encapsulated frames (PS3.5 A.4) from the Basic Offset Table, the Extended Offset Table
 * (7FE0,0001), one fragment per frame, or by codestream start markers. Every offset is
 * checked against the file, so no frame reaches past the bytes that exist.
 */
import type { DataSet, Element, Fragment } from 'dicom-parser';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { nativeFrameBits } from './decoders/native.ts';
import type { FrameInfo } from './frame-info.ts';

function truncated(what: string): never {
  throw new RadLocalError('DICOM_TRUNCATED', `The DICOM file ends inside its pixel data (${what}).`);
}

/**
 * A native frame's bytes. Byte-aligned frames are views (decoders never mutate); 1-bit frames
 * starting mid-byte are copied and realigned to bit 0.
 */
export function nativeFrame(bytes: Uint8Array, element: Element, info: FrameInfo, index: number): Uint8Array {
  const frameBits = nativeFrameBits(info);
  const startBit = index * frameBits;
  const startByte = element.dataOffset + Math.floor(startBit / 8);
  const byteLength = Math.ceil(((startBit % 8) + frameBits) / 8);
  if (startByte + byteLength > bytes.length) truncated(`frame ${index + 1} needs bytes up to ${startByte + byteLength}, the file has ${bytes.length}`);
  const shift = startBit % 8;
  if (shift === 0) return bytes.subarray(startByte, startByte + Math.ceil(frameBits / 8));
  const out = new Uint8Array(Math.ceil(frameBits / 8));
  for (let i = 0; i < out.length; i++) {
    const lo = (bytes[startByte + i] as number) >> shift;
    const hi = i + 1 < byteLength ? ((bytes[startByte + i + 1] as number) << (8 - shift)) & 0xff : 0;
    out[i] = lo | hi;
  }
  return out;
}

function concat(bytes: Uint8Array, fragments: readonly Fragment[]): Uint8Array {
  if (fragments.length === 1) {
    const f = fragments[0]!;
    return bytes.subarray(f.position, f.position + f.length);
  }
  const total = fragments.reduce((sum, f) => sum + f.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of fragments) {
    out.set(bytes.subarray(f.position, f.position + f.length), at);
    at += f.length;
  }
  return out;
}

/** True when a fragment begins a codestream (JPEG SOI, J2K SOC) or an RLE frame header. */
function startsFrame(bytes: Uint8Array, f: Fragment): boolean {
  const p = f.position;
  if (f.length < 4) return false;
  const b0 = bytes[p] as number;
  const b1 = bytes[p + 1] as number;
  if (b0 === 0xff && (b1 === 0xd8 || b1 === 0x4f)) return true;
  if (f.length >= 64) {
    const segments = (bytes[p] as number) | ((bytes[p + 1] as number) << 8) | ((bytes[p + 2] as number) << 16) | ((bytes[p + 3] as number) << 24);
    const first = (bytes[p + 4] as number) | ((bytes[p + 5] as number) << 8) | ((bytes[p + 6] as number) << 16) | ((bytes[p + 7] as number) << 24);
    return segments >= 1 && segments <= 15 && first === 64;
  }
  return false;
}

function extendedOffsetTable(dataSet: DataSet): number[] | undefined {
  const element = dataSet.elements.x7fe00001;
  if (!element || element.length % 8 !== 0 || element.length === 0) return undefined;
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + element.dataOffset, element.length);
  const out: number[] = [];
  for (let i = 0; i < element.length; i += 8) {
    if (view.getUint32(i + 4, true) !== 0) return undefined; // offsets beyond 4 GiB cannot be in this file
    out.push(view.getUint32(i, true));
  }
  return out;
}

/** Groups fragments into frames; the result has exactly `frameCount` non-empty groups or the call throws. */
function groupFragments(dataSet: DataSet, element: Element, frameCount: number): Fragment[][] {
  const bytes = dataSet.byteArray;
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new RadLocalError('DICOM_NO_PIXEL_DATA', 'The encapsulated pixel data holds no fragments.');
  for (const f of fragments) {
    if (f.position < 0 || f.length < 0 || f.position + f.length > bytes.length) truncated(`a fragment ends at byte ${f.position + f.length}, the file has ${bytes.length}`);
  }
  if (frameCount === 1) return [fragments];
  const table = element.basicOffsetTable && element.basicOffsetTable.length > 0 ? element.basicOffsetTable : extendedOffsetTable(dataSet);
  if (table && table.length === frameCount) {
    const groups = table.map((start, i) => {
      const end = i + 1 < table.length ? (table[i + 1] as number) : Number.POSITIVE_INFINITY;
      return fragments.filter((f) => f.offset >= start && f.offset < end);
    });
    if (groups.every((g) => g.length > 0)) return groups;
  }
  if (fragments.length === frameCount) return fragments.map((f) => [f]);
  const groups: Fragment[][] = [];
  for (const f of fragments) {
    if (groups.length === 0 || startsFrame(bytes, f)) groups.push([f]);
    else groups[groups.length - 1]!.push(f);
  }
  if (groups.length !== frameCount) {
    throw new RadLocalError(
      'DICOM_PIXEL_LENGTH_MISMATCH',
      `Expected ${frameCount} frames in the encapsulated pixel data, but its ${fragments.length} fragments form ${groups.length}.`,
    );
  }
  return groups;
}

/** The encoded bytes of the frames `indices` (views when a frame is one fragment, else copies). */
export function encapsulatedFrames(dataSet: DataSet, element: Element, frameCount: number, indices: readonly number[]): Uint8Array[] {
  const groups = groupFragments(dataSet, element, frameCount);
  return indices.map((i) => concat(dataSet.byteArray as Uint8Array, groups[i]!));
}
