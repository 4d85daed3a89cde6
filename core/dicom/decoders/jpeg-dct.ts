/**
 * A small sequential-DCT Huffman JPEG decoder (ISO 10918-1 processes 1, 2 and 4: SOF0/SOF1,
 * 8- or 12-bit precision), written for JPEG Extended 12-bit (.51), for which npm has no
 * decoder. Baseline 8-bit keeps using libjpeg-turbo / jpeg-js. Progressive, lossless,
 * hierarchical and arithmetic-coded streams are refused.
 *
 * Steps (Annex F): markers → Huffman tables, quantisation tables, frame and scan headers →
 * entropy-coded MCUs (restart intervals honoured) → dequantise → float 8×8 inverse DCT → level
 * shift and clamp → upsample subsampled components by replication.
 * Every loop is bounded by the frame size the SOF declares, which callers check first.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';

/** Zig-zag index → natural (row-major) index in an 8×8 block (Figure A.6). */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
  37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** IDCT basis: COS[x * 8 + u] = C(u)/2 · cos((2x + 1)uπ/16), C(0) = 1/√2. */
const COS = new Float64Array(64);
for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) COS[x * 8 + u] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);

function fail(message: string): never {
  throw new RadLocalError('DICOM_DECODE_FAILED', `The JPEG image is damaged or unsupported: ${message}`);
}

interface HuffmanTable {
  /** maxCode[l] is the largest code of length l (−1 when none), l = 1…16. */
  maxCode: Int32Array;
  valueOffset: Int32Array;
  values: Uint8Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1] as number;
    valueOffset[length] = k - code;
    if (n > 0) {
      code += n;
      k += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel
  return { maxCode, valueOffset, values };
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  /** Blocks per line / column in this component's padded plane. */
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Dequantised, inverse-transformed samples of the padded plane. */
  samples: Float32Array;
  dcTable?: HuffmanTable;
  acTable?: HuffmanTable;
  pred: number;
}

class BitReader {
  private bits = 0;
  private count = 0;
  /** Set when a marker interrupts the entropy-coded data. */
  marker = -1;
  constructor(
    private readonly data: Uint8Array,
    public pos: number,
  ) {}
  private fill(): void {
    let byte = 0;
    if (this.marker < 0 && this.pos < this.data.length) {
      byte = this.data[this.pos] as number;
      if (byte === 0xff) {
        const next = this.data[this.pos + 1] ?? 0;
        if (next === 0) this.pos += 2;
        else {
          this.marker = next; // leave pos on the marker; feed zeros from here on
          byte = 0;
        }
      } else {
        this.pos += 1;
      }
    }
    this.bits = (this.bits << 8) | byte;
    this.count += 8;
  }
  bit(): number {
    if (this.count === 0) this.fill();
    this.count -= 1;
    return (this.bits >>> this.count) & 1;
  }
  receive(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
  /** Drops buffered bits and steps over a restart marker. */
  restart(): void {
    this.bits = 0;
    this.count = 0;
    if (this.marker >= 0xd0 && this.marker <= 0xd7) {
      this.pos += 2;
      this.marker = -1;
      return;
    }
    while (this.pos + 1 < this.data.length && !(this.data[this.pos] === 0xff && (this.data[this.pos + 1] as number) >= 0xd0 && (this.data[this.pos + 1] as number) <= 0xd7)) this.pos++;
    this.pos += 2;
    this.marker = -1;
  }
}

function decodeHuffman(reader: BitReader, table: HuffmanTable): number {
  let code = 0;
  for (let length = 1; length <= 16; length++) {
    code = (code << 1) | reader.bit();
    if (code <= (table.maxCode[length] as number)) {
      const value = table.values[(table.valueOffset[length] as number) + code];
      if (value === undefined) fail('a Huffman code points outside its table.');
      return value;
    }
  }
  return fail('an invalid Huffman code was found.');
}

function extend(v: number, t: number): number {
  return t === 0 ? 0 : v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
}

export interface DecodedJpeg {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** Component-interleaved samples, each in [0, 2^precision − 1], no colour transform applied. */
  samples: Uint16Array;
}

/**
 * @param data One JPEG codestream (SOI … EOI).
 * @param maxSamples Refuse a frame header declaring more samples than this (before allocating).
 */
export function decodeDctJpeg(data: Uint8Array, maxSamples: number): DecodedJpeg {
  if (data[0] !== 0xff || data[1] !== 0xd8) fail('it does not start with an SOI marker.');
  const quant: Array<Int32Array | undefined> = [];
  const dcTables: Array<HuffmanTable | undefined> = [];
  const acTables: Array<HuffmanTable | undefined> = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let precision = 8;
  let hMax = 1;
  let vMax = 1;
  let restartInterval = 0;
  let pos = 2;
  let scans = 0;
  const u16 = (at: number): number => (((data[at] ?? 0) << 8) | (data[at + 1] ?? 0)) >>> 0;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) fail(`expected a marker at byte ${pos}.`);
    const marker = data[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === 0xd9) break; // EOI
    const length = u16(pos + 2);
    const start = pos + 4;
    const end = pos + 2 + length;
    if (length < 2 || end > data.length) fail(`a marker segment runs past the end (marker 0x${marker.toString(16)}).`);
    switch (marker) {
      case 0xdb: {
        // DQT
        let p = start;
        while (p < end) {
          const pq = (data[p] as number) >> 4;
          const tq = (data[p] as number) & 15;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) table[k] = pq ? u16(p + 1 + 2 * k) : (data[p + 1 + k] ?? 0);
          quant[tq & 3] = table;
          p += 1 + 64 * (pq ? 2 : 1);
        }
        break;
      }
      case 0xc4: {
        // DHT
        let p = start;
        while (p + 17 <= end) {
          const tc = (data[p] as number) >> 4;
          const th = (data[p] as number) & 15;
          const counts = data.slice(p + 1, p + 17);
          const total = counts.reduce((s, n) => s + n, 0);
          const values = data.slice(p + 17, p + 17 + total);
          (tc === 0 ? dcTables : acTables)[th & 3] = buildHuffman(counts, values);
          p += 17 + total;
        }
        break;
      }
      case 0xc0:
      case 0xc1: {
        precision = data[start] as number;
        height = u16(start + 1);
        width = u16(start + 3);
        const count = data[start + 5] as number;
        if (precision !== 8 && precision !== 12) fail(`sample precision ${precision} is not 8 or 12.`);
        if (width < 1 || height < 1 || count < 1 || count > 4) fail(`frame ${width}×${height} with ${count} components is not decodable.`);
        if (width * height * count > maxSamples) fail(`the frame declares ${width}×${height}×${count} samples, more than expected.`);
        components = [];
        for (let i = 0; i < count; i++) {
          const at = start + 6 + 3 * i;
          const h = ((data[at + 1] ?? 0) >> 4) || 1;
          const v = ((data[at + 1] ?? 0) & 15) || 1;
          components.push({ id: data[at] as number, h, v, tq: (data[at + 2] ?? 0) & 3, blocksPerLine: 0, blocksPerColumn: 0, samples: new Float32Array(0), pred: 0 });
        }
        hMax = Math.max(...components.map((c) => c.h));
        vMax = Math.max(...components.map((c) => c.v));
        if (hMax > 4 || vMax > 4) fail('sampling factors above 4 are invalid.');
        const mcusX = Math.ceil(width / (8 * hMax));
        const mcusY = Math.ceil(height / (8 * vMax));
        for (const c of components) {
          c.blocksPerLine = mcusX * c.h;
          c.blocksPerColumn = mcusY * c.v;
          c.samples = new Float32Array(c.blocksPerLine * c.blocksPerColumn * 64);
        }
        break;
      }
      case 0xc2:
      case 0xc3:
      case 0xc5:
      case 0xc6:
      case 0xc7:
      case 0xc9:
      case 0xca:
      case 0xcb:
      case 0xcd:
      case 0xce:
      case 0xcf:
        fail(`JPEG process with SOF marker 0x${marker.toString(16).toUpperCase()} is not supported here.`);
        break;
      case 0xdd:
        restartInterval = u16(start);
        break;
      case 0xda: {
        if (components.length === 0) fail('a scan comes before the frame header.');
        if (++scans > components.length) fail('more scans than components.');
        const count = data[start] as number;
        const scanComponents: Component[] = [];
        for (let i = 0; i < count; i++) {
          const id = data[start + 1 + 2 * i];
          const tables = data[start + 2 + 2 * i] ?? 0;
          const c = components.find((x) => x.id === id);
          if (!c) fail(`scan names unknown component ${id}.`);
          c.dcTable = dcTables[tables >> 4];
          c.acTable = acTables[tables & 15];
          if (!c.dcTable || !c.acTable) fail('a scan uses an undefined Huffman table.');
          if (!quant[c.tq]) fail('a component uses an undefined quantisation table.');
          scanComponents.push(c);
        }
        pos = decodeScan(data, end, scanComponents, quant, restartInterval, hMax, vMax, width, height);
        continue;
      }
      default:
        break; // APPn, COM, DNL… skipped
    }
    pos = end;
  }
  if (components.length === 0 || scans === 0) fail('no frame or no scan was found.');
  return assemble(components, width, height, precision, hMax, vMax);
}

function idctBlock(coefficients: Float64Array, out: Float32Array, outOffset: number, lineStride: number): void {
  const tmp = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let x = 0; x < 8; x++) {
      let sum = 0;
      for (let u = 0; u < 8; u++) sum += (COS[x * 8 + u] as number) * (coefficients[v * 8 + u] as number);
      tmp[v * 8 + x] = sum;
    }
  }
  for (let x = 0; x < 8; x++) {
    for (let y = 0; y < 8; y++) {
      let sum = 0;
      for (let v = 0; v < 8; v++) sum += (COS[y * 8 + v] as number) * (tmp[v * 8 + x] as number);
      out[outOffset + y * lineStride + x] = sum;
    }
  }
}

function decodeScan(
  data: Uint8Array,
  start: number,
  scanComponents: Component[],
  quant: Array<Int32Array | undefined>,
  restartInterval: number,
  hMax: number,
  vMax: number,
  width: number,
  height: number,
): number {
  const reader = new BitReader(data, start);
  const coefficients = new Float64Array(64);
  const single = scanComponents.length === 1;
  const first = scanComponents[0]!;
  const mcusX = single ? Math.ceil(Math.ceil((width * first.h) / hMax) / 8) : Math.ceil(width / (8 * hMax));
  const mcusY = single ? Math.ceil(Math.ceil((height * first.v) / vMax) / 8) : Math.ceil(height / (8 * vMax));
  const total = mcusX * mcusY;
  for (const c of scanComponents) c.pred = 0;
  const decodeBlock = (c: Component, blockRow: number, blockCol: number): void => {
    coefficients.fill(0);
    const q = quant[c.tq]!;
    const t = decodeHuffman(reader, c.dcTable!);
    if (t > 16) fail('a DC difference category is out of range.');
    c.pred += extend(reader.receive(t), t);
    coefficients[0] = c.pred * (q[0] as number);
    for (let k = 1; k < 64; ) {
      const rs = decodeHuffman(reader, c.acTable!);
      const r = rs >> 4;
      const s = rs & 15;
      if (s === 0) {
        if (r !== 15) break; // EOB
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) fail('AC coefficients run past the end of a block.');
      coefficients[ZIGZAG[k] as number] = extend(reader.receive(s), s) * (q[k] as number);
      k += 1;
    }
    if (blockRow >= c.blocksPerColumn || blockCol >= c.blocksPerLine) return; // padding block of a non-interleaved scan
    const lineStride = c.blocksPerLine * 8;
    idctBlock(coefficients, c.samples, blockRow * 8 * lineStride + blockCol * 8, lineStride);
  };
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      reader.restart();
      for (const c of scanComponents) c.pred = 0;
    }
    const mcuRow = Math.floor(mcu / mcusX);
    const mcuCol = mcu % mcusX;
    if (single) {
      decodeBlock(first, mcuRow, mcuCol);
    } else {
      for (const c of scanComponents) {
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, mcuRow * c.v + v, mcuCol * c.h + h);
      }
    }
  }
  // Continue after the entropy-coded data: find the next marker that is not RSTn or stuffing.
  let p = reader.pos;
  while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] !== 0 && !((data[p + 1] as number) >= 0xd0 && (data[p + 1] as number) <= 0xd7))) p++;
  return p;
}

function assemble(components: Component[], width: number, height: number, precision: number, hMax: number, vMax: number): DecodedJpeg {
  const count = components.length;
  const samples = new Uint16Array(width * height * count);
  const shift = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  components.forEach((c, ci) => {
    const lineStride = c.blocksPerLine * 8;
    const sx = c.h / hMax;
    const sy = c.v / vMax;
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y * sy) * lineStride;
      for (let x = 0; x < width; x++) {
        const value = Math.round((c.samples[row + Math.floor(x * sx)] as number) + shift);
        samples[(y * width + x) * count + ci] = value < 0 ? 0 : value > max ? max : value;
      }
    }
  });
  return { width, height, precision, components: count, samples };
}
