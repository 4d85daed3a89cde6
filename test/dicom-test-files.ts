/**
 * A tiny DICOM writer for tests and benchmarks: explicit VR little endian Part 10 files built
 * from small tag specs, with native or encapsulated pixel data, so a test says exactly what it
 * feeds in. Data sets in explicit VR little endian, big endian or deflated; no implicit VR.
 */
import { deflateSync } from 'fflate';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../core/dicom/transfer-syntax-uids.ts';

export type ElementValue = string | number | number[] | Uint8Array | Uint16Array | Float32Array | ElementSpec[][];
/** One element: tag as 0xGGGGEEEE, its VR and value (numbers for binary VRs, items for SQ). */
export interface ElementSpec {
  tag: number;
  vr: string;
  value: ElementValue;
}

export interface DicomSpec {
  transferSyntaxUID?: string;
  elements: ElementSpec[];
  /** Native pixel bytes (OW/OB chosen by `pixelVr`), or encapsulated fragments. */
  pixels?: { native: Uint8Array; vr?: 'OB' | 'OW' | 'OF' | 'OD'; tag?: number } | { fragments: Uint8Array[]; basicOffsetTable?: number[] };
  /** Leave out the 128-byte preamble and "DICM" (default false). */
  withoutPreamble?: boolean;
  /**
   * How the data set after the file meta is encoded: explicit VR little endian (default), big
   * endian (native pixel bytes must then already be big endian), or deflated.
   */
  encoding?: 'little' | 'big' | 'deflated';
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

class ByteWriter {
  private chunks: number[] = [];
  constructor(readonly littleEndian = true) {}
  u8(v: number): void {
    this.chunks.push(v & 0xff);
  }
  u16(v: number): void {
    if (this.littleEndian) {
      this.u8(v);
      this.u8(v >> 8);
    } else {
      this.u8(v >> 8);
      this.u8(v);
    }
  }
  u32(v: number): void {
    if (this.littleEndian) {
      this.u16(v & 0xffff);
      this.u16(v >>> 16);
    } else {
      this.u16(v >>> 16);
      this.u16(v & 0xffff);
    }
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.chunks.push(x);
  }
  get length(): number {
    return this.chunks.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function valueBytes(vr: string, value: ElementValue, le: boolean): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof Uint16Array || value instanceof Float32Array) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  const numbers = typeof value === 'number' ? [value] : Array.isArray(value) && typeof value[0] === 'number' ? (value as number[]) : undefined;
  if (numbers && ['US', 'SS', 'UL', 'SL', 'FL', 'FD'].includes(vr)) {
    const size = vr === 'FD' ? 8 : vr === 'US' || vr === 'SS' ? 2 : 4;
    const out = new DataView(new ArrayBuffer(numbers.length * size));
    numbers.forEach((n, i) => {
      if (vr === 'US') out.setUint16(i * 2, n, le);
      else if (vr === 'SS') out.setInt16(i * 2, n, le);
      else if (vr === 'UL') out.setUint32(i * 4, n, le);
      else if (vr === 'SL') out.setInt32(i * 4, n, le);
      else if (vr === 'FL') out.setFloat32(i * 4, n, le);
      else out.setFloat64(i * 8, n, le);
    });
    return new Uint8Array(out.buffer);
  }
  const text = Array.isArray(value) ? value.join('\\') : String(value);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return padded;
}

function writeElement(w: ByteWriter, e: ElementSpec): void {
  w.u16(e.tag >>> 16);
  w.u16(e.tag & 0xffff);
  w.u8(e.vr.charCodeAt(0));
  w.u8(e.vr.charCodeAt(1));
  if (e.vr === 'SQ') {
    const items = e.value as ElementSpec[][];
    const body = new ByteWriter(w.littleEndian);
    for (const item of items) {
      const inner = new ByteWriter(w.littleEndian);
      for (const x of item) writeElement(inner, x);
      body.u16(0xfffe);
      body.u16(0xe000);
      body.u32(inner.length);
      body.bytes(inner.done());
    }
    w.u16(0);
    w.u32(body.length);
    w.bytes(body.done());
    return;
  }
  const bytes = valueBytes(e.vr, e.value, w.littleEndian);
  if (LONG_VRS.has(e.vr)) {
    w.u16(0);
    w.u32(bytes.length);
  } else {
    w.u16(bytes.length);
  }
  w.bytes(bytes);
}

/** Builds a Part 10 file: explicit VR LE file meta, then the data set encoded as `spec.encoding` says (the declared syntax is not checked). */
export function buildDicom(spec: DicomSpec): Uint8Array {
  const ts = spec.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN;
  const meta = new ByteWriter();
  for (const e of [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00020003, vr: 'UI', value: '1.2.3.4' },
    { tag: 0x00020010, vr: 'UI', value: ts },
  ]) {
    writeElement(meta, e);
  }
  const w = new ByteWriter();
  if (!spec.withoutPreamble) {
    w.bytes(new Uint8Array(128));
    w.bytes(new TextEncoder().encode('DICM'));
  }
  writeElement(w, { tag: 0x00020000, vr: 'UL', value: meta.length });
  w.bytes(meta.done());
  const header = w.done();
  const body = dataSetBytes(spec);
  const tail = spec.encoding === 'deflated' ? deflateSync(body) : body;
  const out = new Uint8Array(header.length + tail.length);
  out.set(header);
  out.set(tail, header.length);
  return out;
}

function dataSetBytes(spec: DicomSpec): Uint8Array {
  const w = new ByteWriter(spec.encoding !== 'big');
  for (const e of [...spec.elements].sort((a, b) => a.tag - b.tag)) writeElement(w, e);
  const pixels = spec.pixels;
  if (pixels && 'native' in pixels) {
    writeElement(w, { tag: pixels.tag ?? 0x7fe00010, vr: pixels.vr ?? 'OW', value: pixels.native });
  } else if (pixels) {
    w.u16(0x7fe0);
    w.u16(0x0010);
    w.u8(0x4f);
    w.u8(0x42);
    w.u16(0);
    w.u32(0xffffffff);
    const bot = pixels.basicOffsetTable ?? [];
    w.u16(0xfffe);
    w.u16(0xe000);
    w.u32(bot.length * 4);
    for (const o of bot) w.u32(o);
    for (const f of pixels.fragments) {
      w.u16(0xfffe);
      w.u16(0xe000);
      w.u32(f.length + (f.length % 2));
      w.bytes(f);
      if (f.length % 2) w.u8(0);
    }
    w.u16(0xfffe);
    w.u16(0xe0dd);
    w.u32(0);
  }
  return w.done();
}

/** Image Pixel module elements for a frame layout (tags in explicit VR). */
export function imagePixelElements(o: {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored?: number;
  pixelRepresentation?: 0 | 1;
  samplesPerPixel?: number;
  photometric?: string;
  planarConfiguration?: 0 | 1;
  frames?: number;
}): ElementSpec[] {
  const spp = o.samplesPerPixel ?? 1;
  const out: ElementSpec[] = [
    { tag: 0x00280002, vr: 'US', value: spp },
    { tag: 0x00280004, vr: 'CS', value: o.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2') },
    { tag: 0x00280010, vr: 'US', value: o.rows },
    { tag: 0x00280011, vr: 'US', value: o.columns },
    { tag: 0x00280100, vr: 'US', value: o.bitsAllocated },
    { tag: 0x00280101, vr: 'US', value: o.bitsStored ?? o.bitsAllocated },
    { tag: 0x00280102, vr: 'US', value: (o.bitsStored ?? o.bitsAllocated) - 1 },
    { tag: 0x00280103, vr: 'US', value: o.pixelRepresentation ?? 0 },
  ];
  if (spp > 1) out.push({ tag: 0x00280006, vr: 'US', value: o.planarConfiguration ?? 0 });
  if (o.frames !== undefined) out.push({ tag: 0x00280008, vr: 'IS', value: String(o.frames) });
  return out;
}

/** Little-endian bytes of a typed array (copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** RLE Lossless (PS3.5 Annex G) encoder for tests/bench: one frame, PackBits per byte plane. */
export function encodeRleFrame(pixels: Uint8Array | Uint16Array | Int16Array, rows: number, columns: number, samplesPerPixel: number): Uint8Array {
  const bytesPerSample = pixels.BYTES_PER_ELEMENT;
  const raw = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const count = rows * columns;
  const segments: Uint8Array[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(count);
      for (let p = 0; p < count; p++) plane[p] = raw[(p * samplesPerPixel + s) * bytesPerSample + b] as number;
      segments.push(packBits(plane, columns));
    }
  }
  const headerBytes = 64;
  const total = headerBytes + segments.reduce((n, seg) => n + seg.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length, true);
  let at = headerBytes;
  segments.forEach((seg, i) => {
    view.setUint32(4 + 4 * i, at, true);
    out.set(seg, at);
    at += seg.length;
  });
  return out;
}

/** PackBits per row (runs never cross rows, as PS3.5 G.3.1 recommends); output padded to even length. */
function packBits(plane: Uint8Array, columns: number): Uint8Array {
  const out: number[] = [];
  for (let rowStart = 0; rowStart < plane.length; rowStart += columns) {
    const row = plane.subarray(rowStart, rowStart + columns);
    let i = 0;
    while (i < row.length) {
      let run = 1;
      while (i + run < row.length && run < 128 && row[i + run] === row[i]) run++;
      if (run >= 2) {
        out.push(257 - run, row[i] as number);
        i += run;
        continue;
      }
      let lit = 1;
      while (i + lit < row.length && lit < 128 && !(i + lit + 1 < row.length && row[i + lit] === row[i + lit + 1])) lit++;
      out.push(lit - 1);
      for (let k = 0; k < lit; k++) out.push(row[i + k] as number);
      i += lit;
    }
  }
  if (out.length % 2) out.push(128);
  return Uint8Array.from(out);
}
