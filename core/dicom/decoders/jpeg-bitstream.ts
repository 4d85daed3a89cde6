/**
 * The parts of ISO 10918-1 every Huffman-coded JPEG process shares: marker segments (SOF, DHT,
 * DQT, DRI, SOS), Huffman code tables (Annex C / F.2.2.3) and the entropy-coded bit reader
 * (byte stuffing, fill bytes, restart markers). Used by ./jpeg-dct.ts (processes 1, 2, 4 and the
 * progressive processes 6–12) and ./jpeg-lossless-decoder.ts (process 14).
 *
 * Damaged data is refused, never guessed at: a Huffman code that is not in its table, a scan
 * that needs bits after its data ended, or a missing restart marker is a DICOM_DECODE_FAILED
 * (IJG-based decoders warn and substitute zeros; RadLocal never shows such pixels).
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';

export function jpegFail(message: string): never {
  throw new RadLocalError('DICOM_DECODE_FAILED', `The JPEG image is damaged or unsupported: ${message}`);
}

/** Big-endian 16-bit value at `at` (0 past the end). */
export function u16(data: Uint8Array, at: number): number {
  return ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
}

/** Lookup bits of the fast Huffman path. */
const LOOKUP_BITS = 9;

export interface HuffmanTable {
  /** lookup[next 9 bits] = (code length << 8) | value, or 0 when the code is longer than 9 bits. */
  lookup: Uint16Array;
  /** maxCode[l]: largest code of length l (−1 when none), l = 1…16; maxCode[17] a sentinel. */
  maxCode: Int32Array;
  valueOffset: Int32Array;
  values: Uint8Array;
}

/** Builds a table from BITS (16 counts) and HUFFVAL (Annex C), refusing impossible code sets. */
export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1] as number;
    valueOffset[length] = k - code;
    if (n > 0) {
      if (code + n > 1 << length) jpegFail('a Huffman table defines more codes than its code lengths allow.');
      if (length <= LOOKUP_BITS) {
        for (let i = 0; i < n; i++) {
          const entry = (length << 8) | (values[k + i] as number);
          const first = (code + i) << (LOOKUP_BITS - length);
          lookup.fill(entry, first, first + (1 << (LOOKUP_BITS - length)));
        }
      }
      code += n;
      k += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { lookup, maxCode, valueOffset, values };
}

/**
 * Entropy-coded segment reader. Bits are taken MSB first; 0xFF00 is a data byte 0xFF; 0xFF fill
 * bytes before a marker are skipped; at a marker (or the end of the buffer) the reader supplies
 * zero bits and remembers that it did, so `overrun` tells whether a scan needed bits it does
 * not have.
 */
export class BitReader {
  private acc = 0;
  private count = 0;
  /** Zero bits supplied after the data ended, among the `count` buffered ones (always the lowest). */
  private padding = 0;
  /** Set when a decode consumed supplied zero bits: the scan's data ended too early. */
  overrun = false;
  /** The marker code (0xD0…0xFE) that ended the entropy-coded data, or −1. */
  marker = -1;

  constructor(
    private readonly data: Uint8Array,
    /** Byte position of the next unread byte; at a marker, the position of its 0xFF. */
    public pos: number,
  ) {}

  private fill(): void {
    const data = this.data;
    while (this.count <= 24) {
      let byte = 0;
      if (this.marker < 0 && this.pos < data.length) {
        byte = data[this.pos] as number;
        if (byte === 0xff) {
          let next = this.pos + 1;
          while (data[next] === 0xff) next++;
          if (data[next] === 0) {
            this.pos = next + 1;
          } else {
            this.pos = next - 1; // stays on the marker's 0xFF
            this.marker = next < data.length ? (data[next] as number) : 0x100;
            byte = 0;
            this.padding += 8;
          }
        } else {
          this.pos += 1;
        }
      } else {
        this.padding += 8;
      }
      this.acc = ((this.acc & ((1 << this.count) - 1)) << 8) | byte;
      this.count += 8;
    }
  }

  private consumed(n: number): void {
    this.count -= n;
    if (this.count < this.padding) {
      this.overrun = true;
      this.padding = this.count;
    }
  }

  /** The next `n` bits (n ≤ 16) as an unsigned number. */
  receive(n: number): number {
    if (n === 0) return 0;
    if (this.count < n) this.fill();
    const v = (this.acc >>> (this.count - n)) & ((1 << n) - 1);
    this.consumed(n);
    return v;
  }

  bit(): number {
    return this.receive(1);
  }

  /** The next `n` bits as a signed difference (F.2.2.1 EXTEND). */
  receiveExtend(n: number): number {
    if (n === 0) return 0;
    const v = this.receive(n);
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }

  /** One Huffman-coded value. */
  decode(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const entry = table.lookup[(this.acc >>> (this.count - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)] as number;
    if (entry !== 0) {
      this.consumed(entry >> 8);
      return entry & 0xff;
    }
    const bits = (this.acc >>> (this.count - 16)) & 0xffff;
    for (let length = LOOKUP_BITS + 1; length <= 16; length++) {
      const code = bits >>> (16 - length);
      if (code <= (table.maxCode[length] as number)) {
        const value = table.values[(table.valueOffset[length] as number) + code];
        if (value === undefined) jpegFail('a Huffman code points outside its table.');
        this.consumed(length);
        return value;
      }
    }
    return jpegFail('an invalid Huffman code was found.');
  }

  /** Ends a restart interval: the data must continue with RSTn, n = `index` mod 8. */
  restart(index: number): void {
    const expected = 0xd0 + (index & 7);
    if (this.overrun) jpegFail('a restart interval holds less data than its MCUs need.');
    if (this.marker < 0) this.fill();
    if (this.count - this.padding >= 8) jpegFail('a restart interval holds more data than its MCUs need.');
    if (this.marker !== expected) jpegFail(`expected restart marker RST${index & 7}, but found ${this.marker < 0 ? 'data' : `marker 0x${this.marker.toString(16).toUpperCase()}`}.`);
    this.pos += 2;
    this.marker = -1;
    this.acc = 0;
    this.count = 0;
    this.padding = 0;
  }

  /** After the last MCU of a scan: refuses a scan that ran out of data; returns the position of the next marker. */
  finish(): number {
    if (this.overrun) jpegFail('the compressed data ends before the image is complete.');
    const data = this.data;
    let p = this.pos;
    while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] !== 0 && data[p + 1] !== 0xff && !((data[p + 1] as number) >= 0xd0 && (data[p + 1] as number) <= 0xd7))) p++;
    return p;
  }
}

/** One component of a frame header (B.2.2). */
export interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
}

export interface FrameHeader {
  /** The SOF marker code, 0xC0…0xCF. */
  marker: number;
  precision: number;
  height: number;
  width: number;
  components: FrameComponent[];
  hMax: number;
  vMax: number;
}

/** Reads an SOF segment body (B.2.2) starting at `start`, checking what decoders rely on. */
export function readFrameHeader(data: Uint8Array, marker: number, start: number, end: number, maxSamples: number): FrameHeader {
  const precision = data[start] as number;
  const height = u16(data, start + 1);
  const width = u16(data, start + 3);
  const count = data[start + 5] ?? 0;
  if (start + 6 + 3 * count > end) jpegFail('the frame header is shorter than its component list.');
  if (width < 1 || height < 1 || count < 1 || count > 4) jpegFail(`a frame of ${width}×${height} with ${count} components cannot be decoded (a zero height defined later by DNL is not supported).`);
  if (width * height * count > maxSamples) jpegFail(`the frame declares ${width}×${height}×${count} samples, more than the DICOM attributes allow.`);
  const components: FrameComponent[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + 6 + 3 * i;
    const h = (data[at + 1] as number) >> 4;
    const v = (data[at + 1] as number) & 15;
    const tq = data[at + 2] as number;
    if (h < 1 || h > 4 || v < 1 || v > 4) jpegFail(`component sampling factors ${h}×${v} are outside 1…4.`);
    if (tq > 3) jpegFail(`quantisation table ${tq} does not exist.`);
    if (components.some((c) => c.id === data[at])) jpegFail('two components share one identifier.');
    components.push({ id: data[at] as number, h, v, tq });
  }
  return { marker, precision, height, width, components, hMax: Math.max(...components.map((c) => c.h)), vMax: Math.max(...components.map((c) => c.v)) };
}

/** Reads a DHT segment (B.2.4.2) into the DC/AC (class 0/1) table slots. */
export function readHuffmanTables(data: Uint8Array, start: number, end: number, dc: Array<HuffmanTable | undefined>, ac: Array<HuffmanTable | undefined>): void {
  let p = start;
  while (p < end) {
    if (p + 17 > end) jpegFail('a Huffman table segment is cut short.');
    const tc = (data[p] as number) >> 4;
    const th = (data[p] as number) & 15;
    if (tc > 1 || th > 3) jpegFail(`Huffman table class ${tc} / slot ${th} does not exist.`);
    const counts = data.slice(p + 1, p + 17);
    const total = counts.reduce((s, n) => s + n, 0);
    if (total > 256 || p + 17 + total > end) jpegFail('a Huffman table lists more values than its segment holds.');
    (tc === 0 ? dc : ac)[th] = buildHuffmanTable(counts, data.slice(p + 17, p + 17 + total));
    p += 17 + total;
  }
}

/** Reads a DQT segment (B.2.4.1): tables in zig-zag order, 8- or 16-bit entries. */
export function readQuantisationTables(data: Uint8Array, start: number, end: number, tables: Array<Int32Array | undefined>): void {
  let p = start;
  while (p < end) {
    const pq = (data[p] as number) >> 4;
    const tq = (data[p] as number) & 15;
    if (pq > 1 || tq > 3) jpegFail(`quantisation table precision ${pq} / slot ${tq} does not exist.`);
    if (p + 1 + 64 * (pq + 1) > end) jpegFail('a quantisation table segment is cut short.');
    const table = new Int32Array(64);
    for (let k = 0; k < 64; k++) table[k] = pq ? u16(data, p + 1 + 2 * k) : (data[p + 1 + k] as number);
    tables[tq] = table;
    p += 1 + 64 * (pq + 1);
  }
}

export interface ScanHeader {
  /** Indices into the frame's component list, in scan order. */
  components: Array<{ index: number; td: number; ta: number }>;
  /** Ss, Se (spectral selection; predictor and 0 for lossless), Ah, Al (successive approximation; point transform). */
  ss: number;
  se: number;
  ah: number;
  al: number;
}

/** Reads an SOS segment (B.2.3). */
export function readScanHeader(data: Uint8Array, start: number, end: number, frame: FrameHeader): ScanHeader {
  const count = data[start] ?? 0;
  if (count < 1 || count > 4 || start + 1 + 2 * count + 3 > end) jpegFail('the scan header is malformed.');
  const components: ScanHeader['components'] = [];
  for (let i = 0; i < count; i++) {
    const id = data[start + 1 + 2 * i];
    const index = frame.components.findIndex((c) => c.id === id);
    if (index < 0) jpegFail(`a scan names component ${id}, which the frame does not have.`);
    if (components.some((c) => c.index === index)) jpegFail('a scan names one component twice.');
    const tables = data[start + 2 + 2 * i] as number;
    components.push({ index, td: tables >> 4, ta: tables & 15 });
  }
  const at = start + 1 + 2 * count;
  return { components, ss: data[at] as number, se: data[at + 1] as number, ah: (data[at + 2] as number) >> 4, al: (data[at + 2] as number) & 15 };
}

/**
 * Walks the marker segments of one codestream (SOI … EOI), handing each to `segment`. SOS
 * handlers return the position after their entropy-coded data. Stops at EOI or the end.
 */
export function walkMarkers(data: Uint8Array, segment: (marker: number, start: number, end: number) => number | void): void {
  if (data[0] !== 0xff || data[1] !== 0xd8) jpegFail('it does not start with an SOI marker.');
  let pos = 2;
  let guard = 0;
  while (pos + 4 <= data.length) {
    if (++guard > 100_000) jpegFail('it holds too many marker segments.');
    if (data[pos] !== 0xff) jpegFail(`expected a marker at byte ${pos}.`);
    const marker = data[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === 0xd9) return;
    if (marker >= 0xd0 && marker <= 0xd7) jpegFail('a restart marker appears outside a scan.');
    const length = u16(data, pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > data.length) jpegFail(`a marker segment runs past the end (marker 0x${marker.toString(16).toUpperCase()}).`);
    const next = segment(marker, pos + 4, end);
    pos = typeof next === 'number' ? next : end;
  }
}
