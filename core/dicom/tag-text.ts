/**
 * Top-level attributes as display text, keyed "ggggeeee" (lower-case hex). Untrusted: values
 * are clipped, binary values are summarised by length, sequences by item count.
 */
import type { DataSet, Element } from 'dicom-parser';

const MAX_TEXT = 256;
const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const NUMBER_READERS: Record<string, { size: number; read: (ds: DataSet, tag: string, i: number) => number | undefined }> = {
  US: { size: 2, read: (ds, t, i) => ds.uint16(t, i) },
  SS: { size: 2, read: (ds, t, i) => ds.int16(t, i) },
  UL: { size: 4, read: (ds, t, i) => ds.uint32(t, i) },
  SL: { size: 4, read: (ds, t, i) => ds.int32(t, i) },
  FL: { size: 4, read: (ds, t, i) => ds.float(t, i) },
  FD: { size: 8, read: (ds, t, i) => ds.double(t, i) },
};

function clip(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = value.replace(/[\0-\x08\x0b\x0c\x0e-\x1f]/g, '').trim();
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function looksLikeText(bytes: Uint8Array, element: Element): boolean {
  if (element.length > 1024) return false;
  for (let i = element.dataOffset; i < element.dataOffset + element.length; i++) {
    const b = bytes[i] as number;
    if (b !== 0 && (b < 0x20 || b > 0x7e) && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

function elementText(dataSet: DataSet, element: Element): string {
  const tag = element.tag;
  if (element.items) return `<sequence of ${element.items.length} item(s)>`;
  if (element.fragments) return `<encapsulated, ${element.fragments.length} fragment(s)>`;
  const vr = element.vr;
  const numeric = vr ? NUMBER_READERS[vr] : undefined;
  if (numeric) {
    const count = Math.min(Math.floor(element.length / numeric.size), 16);
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(String(numeric.read(dataSet, tag, i)));
    return clip(values.join('\\') + (element.length / numeric.size > 16 ? '\\…' : ''));
  }
  if ((vr && STRING_VRS.has(vr)) || (!vr && looksLikeText(dataSet.byteArray as Uint8Array, element))) {
    return clip(dataSet.string(tag) ?? '');
  }
  return `<${element.length} bytes>`;
}

export function tagsAsText(dataSet: DataSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, element] of Object.entries(dataSet.elements)) {
    if (!/^x[0-9a-f]{8}$/.test(key)) continue;
    const end = element.dataOffset + element.length;
    if (element.length < 0 || end > dataSet.byteArray.length) {
      out[key.slice(1)] = `<${element.length} bytes, beyond the end of the file>`;
      continue;
    }
    try {
      out[key.slice(1)] = elementText(dataSet, element);
    } catch {
      out[key.slice(1)] = `<${element.length} bytes, unreadable>`;
    }
  }
  return out;
}
