/**
 * Encoders for tests and benchmarks: the WASM encoders shipped in the cornerstone codec
 * packages (JPEG baseline, JPEG-LS, JPEG 2000, HTJ2K) and a small JPEG lossless (process 14,
 * selection value 1) encoder of our own, since npm has none. Node only (imports codec JS).
 */

interface WasmEncoder {
  getDecodedBuffer(info: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean; isUsingColorTransform?: boolean }): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
  setNearLossless?(near: number): void;
  setQuality?(...args: unknown[]): void;
  setCompressionRatio?(layer: number, ratio: number): void;
  setProgressive?(progressive: boolean): void;
  setInterleaveMode?(mode: number): void;
}

type Factory = (options: { print: () => void; printErr: () => void }) => Promise<Record<string, new () => WasmEncoder>>;
const modules = new Map<string, Promise<Record<string, new () => WasmEncoder>>>();

async function encoderModule(spec: string): Promise<Record<string, new () => WasmEncoder>> {
  let pending = modules.get(spec);
  if (!pending) {
    pending = import(spec).then((m: { default: unknown }) => (m.default as Factory)({ print() {}, printErr() {} }));
    modules.set(spec, pending);
  }
  return pending;
}

export interface RawImage {
  /** Interleaved samples, 8- or 16-bit unsigned. */
  pixels: Uint8Array | Uint16Array;
  width: number;
  height: number;
  components: 1 | 3;
}

async function encodeWith(spec: string, className: string, image: RawImage, configure: (e: WasmEncoder) => void): Promise<Uint8Array> {
  const m = await encoderModule(spec);
  const encoder = new m[className]!();
  try {
    const bits = image.pixels.BYTES_PER_ELEMENT * 8;
    const input = encoder.getDecodedBuffer({ width: image.width, height: image.height, bitsPerSample: bits, componentCount: image.components, isSigned: false, isUsingColorTransform: false });
    input.set(new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength));
    configure(encoder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/**
 * JPEG-LS (CharLS). Colour images: `interleaveMode` 0 none (the encoder then takes planar
 * input, converted here), 1 line, 2 sample (default).
 */
export function encodeJpegLs(image: RawImage, nearLossless = 0, interleaveMode: 0 | 1 | 2 = 2): Promise<Uint8Array> {
  let pixels = image.pixels;
  if (image.components === 3 && interleaveMode === 0) {
    const n = image.width * image.height;
    pixels = new (image.pixels.constructor as new (length: number) => Uint8Array | Uint16Array)(n * 3);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) pixels[c * n + p] = image.pixels[p * 3 + c]!;
  }
  return encodeWith('@cornerstonejs/codec-charls/wasmjs', 'JpegLSEncoder', { ...image, pixels }, (e) => {
    e.setNearLossless?.(nearLossless);
    if (image.components === 3) e.setInterleaveMode?.(interleaveMode);
  });
}
/** Lossless (reversible 5/3 wavelet), the encoder's default. */
export const encodeJ2k = (image: RawImage): Promise<Uint8Array> => encodeWith('@cornerstonejs/codec-openjpeg/wasmjs', 'J2KEncoder', image, () => {});
/** Lossless HTJ2K, the encoder's default. */
export const encodeHtj2k = (image: RawImage): Promise<Uint8Array> => encodeWith('@cornerstonejs/codec-openjph/wasmjs', 'HTJ2KEncoder', image, () => {});
/** 8-bit JPEG (libjpeg-turbo), quality 90: baseline sequential, or progressive (SOF2) when asked. */
export const encodeJpegBaseline = (image: RawImage, progressive = false): Promise<Uint8Array> =>
  encodeWith('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs', 'JPEGEncoder', image, (e) => {
    e.setQuality?.(90);
    e.setProgressive?.(progressive);
  });

class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.out.push(this.acc);
    if (this.acc === 0xff) this.out.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1); // pad with 1-bits
    return this.out;
  }
}

/**
 * JPEG lossless, process 14, selection value 1 (predictor: left neighbour; first column uses the
 * sample above; first sample 2^(P−1)), one Huffman table where every difference category 0–16
 * has a 5-bit code. Grey only. With `restartRows`, a restart interval of that many whole rows.
 */
export function encodeJpegLosslessSv1(pixels: Uint8Array | Uint16Array, width: number, height: number, precision: number, restartRows = 0): Uint8Array {
  const bytes: number[] = [0xff, 0xd8];
  const u16 = (v: number): void => {
    bytes.push((v >> 8) & 0xff, v & 0xff);
  };
  // SOF3: precision, height, width, 1 component (id 1, sampling 1×1, Tq 0)
  bytes.push(0xff, 0xc3);
  u16(11);
  bytes.push(precision);
  u16(height);
  u16(width);
  bytes.push(1, 1, 0x11, 0);
  // DHT: class 0 table 0; 17 codes of length 5
  const counts = new Array<number>(16).fill(0);
  counts[4] = 17;
  bytes.push(0xff, 0xc4);
  u16(2 + 1 + 16 + 17);
  bytes.push(0x00, ...counts, ...Array.from({ length: 17 }, (_, i) => i));
  // DRI: a restart interval of `restartRows` whole rows (H.1.2.1: prediction starts over after each RSTn)
  if (restartRows > 0) {
    bytes.push(0xff, 0xdd);
    u16(4);
    u16(restartRows * width);
  }
  // SOS: 1 component (id 1, table 0), Ss = predictor 1, Se = 0, Ah/Al = 0
  bytes.push(0xff, 0xda);
  u16(8);
  bytes.push(1, 1, 0x00, 1, 0, 0);
  let bits = new BitWriter();
  const scan: number[] = [];
  const modulus = 65536;
  for (let y = 0; y < height; y++) {
    const intervalStart = restartRows > 0 && y % restartRows === 0;
    if (intervalStart && y > 0) {
      for (const b of bits.finish()) scan.push(b);
      scan.push(0xff, 0xd0 + ((y / restartRows - 1) % 8));
      bits = new BitWriter();
    }
    const firstLine = y === 0 || intervalStart;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const prediction = x > 0 ? pixels[i - 1]! : !firstLine ? pixels[i - width]! : 1 << (precision - 1);
      let diff = (pixels[i]! - prediction) % modulus;
      if (diff > 32768) diff -= modulus;
      if (diff < -32767) diff += modulus;
      const magnitude = Math.abs(diff);
      const category = diff === 32768 ? 16 : magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      bits.write(category, 5); // canonical code of symbol k with all lengths 5 is k
      if (category > 0 && category < 16) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    }
  }
  for (const b of bits.finish()) scan.push(b);
  const out = new Uint8Array(bytes.length + scan.length + 2);
  out.set(bytes);
  out.set(scan, bytes.length);
  out.set([0xff, 0xd9], bytes.length + scan.length);
  return out;
}

/**
 * A 12-bit JPEG Extended (SOF1) stream of one grey component whose 8×8 blocks are flat, so it
 * needs DC coefficients only: each block's value must decode exactly. Quantisation table of 1s
 * (16-bit precision), DC categories 0–15 with 5-bit codes, an AC table holding only EOB,
 * optional restart interval (RSTn markers, DC predictor reset).
 * @param blockValues One value in [0, 4095] per block, block-row-major; width/height multiples of 8.
 */
export function encodeFlatJpeg12(blockValues: readonly number[], width: number, height: number, restartInterval = 0): Uint8Array {
  const head: number[] = [0xff, 0xd8];
  const u16 = (v: number): void => {
    head.push((v >> 8) & 0xff, v & 0xff);
  };
  head.push(0xff, 0xdb);
  u16(2 + 1 + 128);
  head.push(0x10);
  for (let k = 0; k < 64; k++) u16(1);
  head.push(0xff, 0xc1);
  u16(11);
  head.push(12);
  u16(height);
  u16(width);
  head.push(1, 1, 0x11, 0);
  const dcCounts = new Array<number>(16).fill(0);
  dcCounts[4] = 16;
  head.push(0xff, 0xc4);
  u16(2 + 17 + 16);
  head.push(0x00, ...dcCounts, ...Array.from({ length: 16 }, (_, i) => i));
  const acCounts = new Array<number>(16).fill(0);
  acCounts[0] = 1;
  head.push(0xff, 0xc4);
  u16(2 + 17 + 1);
  head.push(0x10, ...acCounts, 0x00);
  if (restartInterval > 0) {
    head.push(0xff, 0xdd);
    u16(4);
    u16(restartInterval);
  }
  head.push(0xff, 0xda);
  u16(8);
  head.push(1, 1, 0x00, 0, 63, 0);
  const scan: number[] = [];
  let bits = new BitWriter();
  let pred = 0;
  blockValues.forEach((value, i) => {
    if (restartInterval > 0 && i > 0 && i % restartInterval === 0) {
      scan.push(...bits.finish(), 0xff, 0xd0 + (((i / restartInterval) - 1) % 8));
      bits = new BitWriter();
      pred = 0;
    }
    const dc = 8 * (value - 2048);
    const diff = dc - pred;
    pred = dc;
    const magnitude = Math.abs(diff);
    const category = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
    bits.write(category, 5);
    if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    bits.write(0, 1); // EOB
  });
  scan.push(...bits.finish(), 0xff, 0xd9);
  return Uint8Array.from([...head, ...scan]);
}
