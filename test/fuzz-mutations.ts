/**
 * Seeded mutations of real files for robustness tests: bit flips, truncations, element length
 * fields set huge, element values (rows, columns, bits…) replaced, fragment lengths set huge,
 * and elements duplicated. Deterministic for a given (file, seed).
 */

import { seededRandom } from '../core/random/seeded-random.ts';

export type MutationKind = 'bit-flip' | 'truncate' | 'huge-length' | 'random-value' | 'huge-fragment' | 'duplicate-element';
export const MUTATION_KINDS: readonly MutationKind[] = ['bit-flip', 'truncate', 'huge-length', 'random-value', 'huge-fragment', 'duplicate-element'];

/** The project's seeded PRNG (mulberry32, [0, 1)), so a failing fuzz case can be regenerated exactly. */
export const random = seededRandom;

interface ElementHeader {
  start: number;
  lengthAt: number;
  lengthBytes: 2 | 4;
  valueAt: number;
  end: number;
}

const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/** Top-level element headers of a little-endian file (explicit or implicit VR, guessed per element). */
export function elementHeaders(bytes: Uint8Array): ElementHeader[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d ? 132 : 0;
  const out: ElementHeader[] = [];
  while (pos + 8 <= bytes.length && out.length < 10_000) {
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    let header: ElementHeader;
    if (VRS.has(vr) && LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) break;
      header = { start: pos, lengthAt: pos + 8, lengthBytes: 4, valueAt: pos + 12, end: 0 };
    } else if (VRS.has(vr)) {
      header = { start: pos, lengthAt: pos + 6, lengthBytes: 2, valueAt: pos + 8, end: 0 };
    } else {
      header = { start: pos, lengthAt: pos + 4, lengthBytes: 4, valueAt: pos + 8, end: 0 };
    }
    const length = header.lengthBytes === 2 ? view.getUint16(header.lengthAt, true) : view.getUint32(header.lengthAt, true);
    header.end = length === 0xffffffff ? bytes.length : header.valueAt + length;
    out.push(header);
    if (length === 0xffffffff || header.end > bytes.length) break;
    pos = header.end;
  }
  return out;
}

function pick<T>(rand: () => number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rand() * items.length)];
}

/** Returns a mutated copy of `original` (never modifies it). */
export function mutate(original: Uint8Array, kind: MutationKind, seed: number): Uint8Array {
  const rand = random(seed);
  const bytes = original.slice();
  const view = new DataView(bytes.buffer);
  const headers = elementHeaders(original);
  switch (kind) {
    case 'bit-flip': {
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(rand() * bytes.length);
        bytes[at]! ^= 1 << Math.floor(rand() * 8);
      }
      return bytes;
    }
    case 'truncate':
      return bytes.slice(0, Math.floor(rand() * bytes.length));
    case 'huge-length': {
      const h = pick(rand, headers);
      if (!h) return bytes;
      const values = h.lengthBytes === 2 ? [0xffff, 0xfffe, 0x8000] : [0xffffffff, 0xfffffffe, 0x7ffffff0, 0x10000000, bytes.length];
      const v = pick(rand, values)!;
      if (h.lengthBytes === 2) view.setUint16(h.lengthAt, v, true);
      else view.setUint32(h.lengthAt, v, true);
      return bytes;
    }
    case 'random-value': {
      const small = headers.filter((h) => h.end - h.valueAt >= 2 && h.end - h.valueAt <= 16 && h.end <= bytes.length);
      const h = pick(rand, small);
      if (!h) return bytes;
      const choices = [0, 1, 0xffff, 0x8000, 3, 8, 12, 16, 32, 64, Math.floor(rand() * 0x10000)];
      view.setUint16(h.valueAt, pick(rand, choices)!, true);
      return bytes;
    }
    case 'huge-fragment': {
      const items: number[] = [];
      for (let i = 0; i + 8 <= bytes.length; i++) {
        if (bytes[i] === 0xfe && bytes[i + 1] === 0xff && bytes[i + 2] === 0x00 && bytes[i + 3] === 0xe0) items.push(i);
      }
      const at = pick(rand, items);
      if (at === undefined) return mutate(original, 'huge-length', seed);
      view.setUint32(at + 4, pick(rand, [0xffffffff, 0x7ffffff0, 0xfffffff0, Math.floor(rand() * 0x100000)])!, true);
      return bytes;
    }
    case 'duplicate-element': {
      const h = pick(rand, headers.filter((x) => x.end <= bytes.length && x.end - x.start < 1 << 20));
      if (!h) return bytes;
      const element = original.subarray(h.start, h.end);
      const out = new Uint8Array(original.length + element.length);
      out.set(original.subarray(0, h.end));
      out.set(element, h.end);
      out.set(original.subarray(h.end), h.end + element.length);
      return out;
    }
  }
}
