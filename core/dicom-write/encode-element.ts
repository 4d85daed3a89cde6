/**
 * Explicit VR Little Endian encoding of data elements (PS3.5 §7.1.2): tag, VR, length
 * (2 bytes, or 2 reserved + 4 bytes for OB/OW/OF/SQ/UT/UN), value padded to even length
 * (UI with NUL, other text with space, binary with 0x00).
 */
import { concatBytes } from '../bytes/concat-bytes.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { CHARACTER_SET_VRS, tagText, type ElementSpec } from './element-spec.ts';

/** How text is written: 'ascii' (default character repertoire) or 'utf-8' (Specific Character Set ISO_IR 192). */
export type TextEncoding = 'ascii' | 'utf-8';

const LONG_LENGTH_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'SQ', 'UT', 'UN', 'UC', 'UR']);
const encoder = new TextEncoder();

/** DS: decimal string of at most 16 characters (PS3.5 §6.2). */
export function formatDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new RadLocalError('INTERNAL', `Expected a finite number for a DS value, but got ${n}.`);
  for (let digits = 10; digits >= 1; digits--) {
    const text = String(Number(n.toPrecision(digits)));
    if (text.length <= 16) return text;
  }
  throw new RadLocalError('INTERNAL', `Cannot write ${n} as a 16-character decimal string.`);
}

function textValue(spec: ElementSpec & { vr: string }): string {
  const value = spec.value as string | number | readonly (string | number)[];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => (typeof v === 'number' ? (spec.vr === 'DS' ? formatDecimalString(v) : String(Math.round(v))) : v)).join('\\');
}

function sequenceItem(elements: readonly ElementSpec[], text: TextEncoding): Uint8Array {
  const sorted = [...elements].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  const body = concatBytes(sorted.map((e) => encodeElement(e, text)));
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, 0xe000, true);
  view.setUint32(4, body.length, true);
  return concatBytes([header, body]);
}

function valueBytes(spec: ElementSpec, text: TextEncoding): Uint8Array {
  switch (spec.vr) {
    case 'SQ':
      return concatBytes(spec.value.map((item) => sequenceItem(item, text)));
    case 'OB':
    case 'OW':
      return spec.value;
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD': {
      const values = typeof spec.value === 'number' ? [spec.value] : spec.value;
      const size = spec.vr === 'US' || spec.vr === 'SS' ? 2 : spec.vr === 'FD' ? 8 : 4;
      const out = new Uint8Array(values.length * size);
      const view = new DataView(out.buffer);
      values.forEach((v, i) => {
        const at = i * size;
        if (spec.vr === 'US') view.setUint16(at, v, true);
        else if (spec.vr === 'SS') view.setInt16(at, v, true);
        else if (spec.vr === 'UL') view.setUint32(at, v, true);
        else if (spec.vr === 'SL') view.setInt32(at, v, true);
        else if (spec.vr === 'FL') view.setFloat32(at, v, true);
        else view.setFloat64(at, v, true);
      });
      return out;
    }
    default: {
      const value = textValue(spec);
      const utf8Allowed = text === 'utf-8' && CHARACTER_SET_VRS.has(spec.vr);
      if (/[^\x20-\x7e]/.test(value) && spec.vr !== 'LT' && spec.vr !== 'ST' && spec.vr !== 'UT' && !utf8Allowed) {
        throw new RadLocalError('INTERNAL', `Expected printable ASCII in ${tagText(spec.tag)} ${spec.vr}, but got ${JSON.stringify(value)}.`);
      }
      return encoder.encode(value);
    }
  }
}

function padByte(vr: string): number {
  return vr === 'UI' || vr === 'OB' || vr === 'OW' ? 0 : 0x20;
}

/** Header of an element with `length` value bytes (length 0xFFFFFFFF = undefined). */
export function elementHeader(tag: number, vr: string, length: number): Uint8Array {
  const long = LONG_LENGTH_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else {
    if (length > 0xffff) throw new RadLocalError('INTERNAL', `Expected at most 65535 bytes for ${tagText(tag)} ${vr}, but got ${length}.`);
    view.setUint16(6, length, true);
  }
  return out;
}

/**
 * One element: header + value padded to even length; a sequence's items are sorted by tag and
 * written with explicit item lengths.
 * @param text 'utf-8' lets LO/LT/PN/SH/ST/UT hold non-ASCII text (the data set must then say ISO_IR 192)
 */
export function encodeElement(spec: ElementSpec, text: TextEncoding = 'ascii'): Uint8Array {
  const value = valueBytes(spec, text);
  const padded = value.length % 2 === 0 ? value.length : value.length + 1;
  const header = elementHeader(spec.tag, spec.vr, padded);
  const out = new Uint8Array(header.length + padded);
  out.set(header);
  out.set(value, header.length);
  if (padded > value.length) out[out.length - 1] = padByte(spec.vr);
  return out;
}

