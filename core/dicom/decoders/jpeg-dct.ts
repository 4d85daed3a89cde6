/**
 * The project's own DCT JPEG decoder (ISO 10918-1, Huffman coding, 8- or 12-bit samples):
 * sequential (SOF0 baseline, SOF1 extended: processes 1, 2, 4) and progressive (SOF2: spectral
 * selection and successive approximation, processes 6, 8, 10, 12; Annex G). npm has no 12-bit
 * or progressive-12-bit decoder; this one is written to decode like the IJG library that dcmtk
 * and GDCM use, so lossy DICOM gives their sample values exactly:
 *
 *   markers (./jpeg-bitstream.ts) → entropy decoding into per-component coefficient planes
 *   (16-bit, as IJG keeps them) → ./jpeg-idct.ts (IJG islow integer IDCT + range limit) →
 *   upsampling (IJG "fancy" triangle filter for 2×1 and 2×2, replication otherwise) →
 *   optional YCbCr → RGB with IJG's fixed-point tables.
 *
 * Arithmetic coding, hierarchical and lossless frames are refused here (lossless has its own
 * decoder). Every loop is bounded by the frame size the SOF declares, which is checked against
 * `maxSamples` before anything is allocated.
 */
import { BitReader, jpegFail, readFrameHeader, readHuffmanTables, readQuantisationTables, readScanHeader, u16, walkMarkers, type FrameHeader, type HuffmanTable, type ScanHeader } from './jpeg-bitstream.ts';
import { idctContext, idctIslow } from './jpeg-idct.ts';

/** Zig-zag index → natural (row-major) index in an 8×8 block (Figure A.6). */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
  37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

export interface DecodedJpeg {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** The SOF marker code: 0xC0 baseline, 0xC1 extended sequential, 0xC2 progressive. */
  marker: number;
  /** Component-interleaved samples in [0, 2^precision − 1]; RGB when `colourTransform` was asked for and applied. */
  samples: Uint16Array;
}

export interface DctDecodeOptions {
  /** Refuse a frame header declaring more samples than this (before allocating). */
  maxSamples: number;
  /** Convert 3-component YCbCr to RGB (IJG jdcolor.c arithmetic). */
  colourTransform?: boolean;
}

interface Component {
  h: number;
  v: number;
  tq: number;
  /** Blocks per line / column of the padded (whole-MCU) plane. */
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Blocks a non-interleaved scan covers: ceil(component width / 8) × ceil(component height / 8). */
  scanBlocksPerLine: number;
  scanBlocksPerColumn: number;
  /** Component size in samples (A.1.1): ceil(X · H / Hmax) × ceil(Y · V / Vmax). */
  width: number;
  height: number;
  /** Quantised coefficients, 64 per block, natural order, block-row-major. */
  coefficients: Int16Array;
  /** The quantisation table in natural order, latched when the component's first scan starts. */
  quant: Int32Array | undefined;
  dcPred: number;
}

export function decodeDctJpeg(data: Uint8Array, options: DctDecodeOptions | number): DecodedJpeg {
  const { maxSamples, colourTransform = false } = typeof options === 'number' ? { maxSamples: options } : options;
  const quant: Array<Int32Array | undefined> = [];
  const dcTables: Array<HuffmanTable | undefined> = [];
  const acTables: Array<HuffmanTable | undefined> = [];
  let frame: FrameHeader | undefined;
  let components: Component[] = [];
  let restartInterval = 0;
  let scans = 0;
  walkMarkers(data, (marker, start, end) => {
    switch (marker) {
      case 0xdb:
        readQuantisationTables(data, start, end, quant);
        return;
      case 0xc4:
        readHuffmanTables(data, start, end, dcTables, acTables);
        return;
      case 0xdd:
        restartInterval = u16(data, start);
        return;
      case 0xc0:
      case 0xc1:
      case 0xc2: {
        if (frame) jpegFail('it holds two frame headers.');
        frame = readFrameHeader(data, marker, start, end, maxSamples);
        if (frame.precision !== 8 && frame.precision !== 12) jpegFail(`DCT sample precision ${frame.precision} is not 8 or 12.`);
        components = planComponents(frame);
        return;
      }
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
        return jpegFail(`the DCT decoder does not handle SOF marker 0x${marker.toString(16).toUpperCase()} (lossless, hierarchical or arithmetic-coded JPEG).`);
      case 0xda: {
        if (!frame) jpegFail('a scan comes before the frame header.');
        if (++scans > 1000) jpegFail('it holds more than 1000 scans.');
        const scan = readScanHeader(data, start, end, frame);
        for (const { index } of scan.components) {
          const c = components[index]!;
          c.quant ??= naturalQuant(quant[c.tq] ?? jpegFail('a component uses an undefined quantisation table.'), frame.precision);
        }
        const input: ScanInput = { data, start: end, frame, components, scan, dcTables, acTables, restartInterval };
        return decodeScan(input, frame.marker === 0xc2 ? progressiveCoder : sequentialCoder);
      }
      default:
        return; // APPn, COM, DNL…
    }
  });
  if (!frame || scans === 0) jpegFail('no frame or no scan was found.');
  return { width: frame.width, height: frame.height, precision: frame.precision, components: components.length, marker: frame.marker, samples: assemble(frame, components, colourTransform) };
}

function planComponents(frame: FrameHeader): Component[] {
  const mcusX = Math.ceil(frame.width / (8 * frame.hMax));
  const mcusY = Math.ceil(frame.height / (8 * frame.vMax));
  return frame.components.map((fc) => {
    const width = Math.ceil((frame.width * fc.h) / frame.hMax);
    const height = Math.ceil((frame.height * fc.v) / frame.vMax);
    const blocksPerLine = mcusX * fc.h;
    const blocksPerColumn = mcusY * fc.v;
    return {
      h: fc.h,
      v: fc.v,
      tq: fc.tq,
      blocksPerLine,
      blocksPerColumn,
      scanBlocksPerLine: Math.ceil(width / 8),
      scanBlocksPerColumn: Math.ceil(height / 8),
      width,
      height,
      coefficients: new Int16Array(blocksPerLine * blocksPerColumn * 64),
      quant: undefined,
      dcPred: 0,
    };
  });
}

/** Zig-zag table → natural order; 8-bit IJG keeps multipliers as 16-bit values. */
function naturalQuant(zigzag: Int32Array, precision: number): Int32Array {
  const out = new Int32Array(64);
  for (let k = 0; k < 64; k++) out[ZIGZAG[k] as number] = precision === 8 ? ((zigzag[k] as number) << 16) >> 16 : (zigzag[k] as number);
  return out;
}

/**
 * Visits every block of a scan in coding order (A.2): one component → its blocks line by line;
 * several → MCU by MCU, H×V blocks of each. Restart intervals count MCUs.
 */
function forEachBlock(
  reader: BitReader,
  frame: FrameHeader,
  components: Component[],
  scan: ScanHeader,
  restartInterval: number,
  onRestart: () => void,
  block: BlockVisitor,
): void {
  const single = scan.components.length === 1;
  const first = components[scan.components[0]!.index]!;
  const mcusX = single ? first.scanBlocksPerLine : Math.ceil(frame.width / (8 * frame.hMax));
  const mcusY = single ? first.scanBlocksPerColumn : Math.ceil(frame.height / (8 * frame.vMax));
  const total = mcusX * mcusY;
  let restarts = 0;
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      reader.restart(restarts++);
      onRestart();
    }
    const row = Math.floor(mcu / mcusX);
    const col = mcu - row * mcusX;
    if (single) {
      block(first, 0, (row * first.blocksPerLine + col) * 64);
      continue;
    }
    for (let s = 0; s < scan.components.length; s++) {
      const c = components[scan.components[s]!.index]!;
      for (let v = 0; v < c.v; v++) {
        const blockRow = row * c.v + v;
        for (let h = 0; h < c.h; h++) block(c, s, (blockRow * c.blocksPerLine + col * c.h + h) * 64);
      }
    }
  }
}

function scanTables(scan: ScanHeader, tables: Array<HuffmanTable | undefined>, which: 'td' | 'ta'): HuffmanTable[] {
  return scan.components.map((c) => tables[c[which]] ?? jpegFail('a scan uses an undefined Huffman table.'));
}

/** DC difference (F.2.2.1); categories above 15 cannot occur in 8- or 12-bit data. */
function decodeDcDifference(reader: BitReader, table: HuffmanTable): number {
  const t = reader.decode(table);
  if (t > 15) jpegFail(`a DC difference category ${t} is out of range.`);
  return reader.receiveExtend(t);
}

/** What one scan's entropy decoding needs. */
interface ScanInput {
  data: Uint8Array;
  /** First byte of the entropy-coded data. */
  start: number;
  frame: FrameHeader;
  components: Component[];
  scan: ScanHeader;
  dcTables: Array<HuffmanTable | undefined>;
  acTables: Array<HuffmanTable | undefined>;
  restartInterval: number;
}

type BlockVisitor = (c: Component, scanIndex: number, blockOffset: number) => void;
/** Makes the per-block decoder of one kind of scan, and what a restart resets besides the DC predictions. */
type ScanCoder = (reader: BitReader, input: ScanInput) => { visit: BlockVisitor; reset?: () => void };

/** Decodes one scan into the coefficient planes; returns the position of the marker after it. */
function decodeScan(input: ScanInput, coder: ScanCoder): number {
  const reader = new BitReader(input.data, input.start);
  const { visit, reset } = coder(reader, input);
  const restart = (): void => {
    for (const c of input.scan.components) input.components[c.index]!.dcPred = 0;
    reset?.();
  };
  restart();
  forEachBlock(reader, input.frame, input.components, input.scan, input.restartInterval, restart, visit);
  return reader.finish();
}

/** Sequential (F.2.2): DC difference, then run-length coded AC coefficients, per block. */
const sequentialCoder: ScanCoder = (reader, { scan, dcTables, acTables }) => {
  // Ss/Se/Ah/Al mean nothing in a sequential scan (some encoders write other values); IJG ignores them too.
  const dc = scanTables(scan, dcTables, 'td');
  const ac = scanTables(scan, acTables, 'ta');
  const visit: BlockVisitor = (c, s, offset) => {
    const coefficients = c.coefficients;
    c.dcPred = (c.dcPred + decodeDcDifference(reader, dc[s]!)) | 0;
    coefficients[offset] = c.dcPred;
    const table = ac[s]!;
    for (let k = 1; k < 64; ) {
      const rs = reader.decode(table);
      const r = rs >> 4;
      const size = rs & 15;
      if (size === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) jpegFail('AC coefficients run past the end of a block.');
      coefficients[offset + (ZIGZAG[k] as number)] = reader.receiveExtend(size);
      k += 1;
    }
  };
  return { visit };
};

/** Progressive (G.1.2): DC first / refinement, AC first / refinement with end-of-band runs. */
const progressiveCoder: ScanCoder = (reader, { scan, dcTables, acTables }) => {
  const { ss, se, ah, al } = scan;
  const dcScan = ss === 0;
  if (dcScan ? se !== 0 : se < ss || se > 63 || scan.components.length !== 1) jpegFail(`progressive scan Ss ${ss} / Se ${se} with ${scan.components.length} component(s) is invalid.`);
  if (al > 13 || (ah !== 0 && ah !== al + 1)) jpegFail(`successive approximation Ah ${ah} / Al ${al} is invalid.`);
  let eobrun = 0;
  const reset = (): void => {
    eobrun = 0;
  };
  const p1 = 1 << al;
  const m1 = -1 << al;
  let visit: BlockVisitor;
  if (dcScan && ah === 0) {
    const dc = scanTables(scan, dcTables, 'td');
    visit = (c, s, offset) => {
      c.dcPred = (c.dcPred + decodeDcDifference(reader, dc[s]!)) | 0;
      c.coefficients[offset] = c.dcPred << al;
    };
  } else if (dcScan) {
    visit = (c, _s, offset) => {
      if (reader.bit()) c.coefficients[offset] = (c.coefficients[offset] as number) | p1;
    };
  } else if (ah === 0) {
    const table = scanTables(scan, acTables, 'ta')[0]!;
    visit = (c, _s, offset) => {
      if (eobrun > 0) {
        eobrun--;
        return;
      }
      const coefficients = c.coefficients;
      for (let k = ss; k <= se; ) {
        const rs = reader.decode(table);
        const r = rs >> 4;
        const size = rs & 15;
        if (size === 0) {
          if (r < 15) {
            eobrun = (1 << r) - 1 + reader.receive(r);
            break;
          }
          k += 16;
          continue;
        }
        k += r;
        if (k > se) jpegFail('AC coefficients run past the end of the spectral band.');
        coefficients[offset + (ZIGZAG[k] as number)] = reader.receiveExtend(size) * p1;
        k += 1;
      }
    };
  } else {
    const table = scanTables(scan, acTables, 'ta')[0]!;
    // Correction bit of a coefficient already non-zero (G.1.2.3).
    const refine = (coefficients: Int16Array, at: number): void => {
      const value = coefficients[at] as number;
      if (reader.bit() && (value & p1) === 0) coefficients[at] = value >= 0 ? value + p1 : value + m1;
    };
    visit = (c, _s, offset) => {
      const coefficients = c.coefficients;
      let k = ss;
      if (eobrun === 0) {
        for (; k <= se; k++) {
          const rs = reader.decode(table);
          let r = rs >> 4;
          const size = rs & 15;
          let value = 0;
          if (size !== 0) {
            if (size !== 1) jpegFail('a refinement scan codes a coefficient larger than 1.');
            value = reader.bit() ? p1 : m1;
          } else if (r !== 15) {
            eobrun = (1 << r) + reader.receive(r);
            break;
          }
          // Skip r zero-history coefficients (refining the non-zero ones met on the way), then place the new one.
          for (;;) {
            if (k > se) {
              if (value !== 0) jpegFail('a refinement places a coefficient past the end of the spectral band.');
              break;
            }
            const at = offset + (ZIGZAG[k] as number);
            if (coefficients[at] !== 0) refine(coefficients, at);
            else if (--r < 0) break;
            k++;
          }
          if (value !== 0) coefficients[offset + (ZIGZAG[k] as number)] = value;
        }
      }
      if (eobrun > 0) {
        for (; k <= se; k++) {
          const at = offset + (ZIGZAG[k] as number);
          if (coefficients[at] !== 0) refine(coefficients, at);
        }
        eobrun--;
      }
    };
  }
  return { visit, reset };
};

/** IDCT of every block, upsampling to the frame size, colour conversion; component-interleaved output. */
function assemble(frame: FrameHeader, components: Component[], colourTransform: boolean): Uint16Array {
  const { width, height, precision } = frame;
  const ctx = idctContext(precision);
  const planes = components.map((c) => {
    const stride = c.blocksPerLine * 8;
    const plane = new Uint16Array(stride * c.blocksPerColumn * 8);
    const quant = c.quant ?? new Int32Array(64); // a component no scan coded stays flat grey (IJG does the same)
    for (let by = 0; by < c.blocksPerColumn; by++) {
      for (let bx = 0; bx < c.blocksPerLine; bx++) {
        idctIslow(ctx, c.coefficients, (by * c.blocksPerLine + bx) * 64, quant, plane, by * 8 * stride + bx * 8, stride);
      }
    }
    return upsample(plane, stride, c, frame);
  });
  const count = components.length;
  const out = new Uint16Array(width * height * count);
  if (count === 3 && colourTransform) {
    yccToRgb(planes[0]!, planes[1]!, planes[2]!, out, precision);
    return out;
  }
  planes.forEach((plane, ci) => {
    for (let i = 0, o = ci; i < width * height; i++, o += count) out[o] = plane[i] as number;
  });
  return out;
}

/**
 * One component plane at full frame size (width × height, tight). 2×1 and 2×2 use IJG's
 * "fancy" triangle filter (jdsample.c h2v1/h2v2_fancy_upsample: 3/4 nearer + 1/4 farther
 * sample, alternating rounding), other ratios replicate samples.
 */
function upsample(plane: Uint16Array, stride: number, c: Component, frame: FrameHeader): Uint16Array {
  const { width, height } = frame;
  const hRatio = frame.hMax / c.h;
  const vRatio = frame.vMax / c.v;
  const out = new Uint16Array(width * height);
  const cw = c.width;
  if (hRatio === 2 && (vRatio === 1 || vRatio === 2) && cw > 1) {
    const lastRow = c.height - 1;
    const line = new Uint16Array(cw * 2);
    for (let y = 0; y < height; y++) {
      const inRow = Math.floor(y / vRatio);
      const row = plane.subarray(inRow * stride, inRow * stride + cw);
      if (vRatio === 1) {
        line[0] = row[0] as number;
        line[1] = ((row[0] as number) * 3 + (row[1] as number) + 2) >> 2;
        for (let x = 1; x < cw - 1; x++) {
          const centre = (row[x] as number) * 3;
          line[2 * x] = (centre + (row[x - 1] as number) + 1) >> 2;
          line[2 * x + 1] = (centre + (row[x + 1] as number) + 2) >> 2;
        }
        line[2 * cw - 2] = ((row[cw - 1] as number) * 3 + (row[cw - 2] as number) + 1) >> 2;
        line[2 * cw - 1] = row[cw - 1] as number;
      } else {
        // The nearer neighbouring input row: above for even output rows, below for odd; edges repeat.
        const neighbourRow = Math.min(lastRow, Math.max(0, y % 2 === 0 ? inRow - 1 : inRow + 1));
        const other = plane.subarray(neighbourRow * stride, neighbourRow * stride + cw);
        let thisSum = (row[0] as number) * 3 + (other[0] as number);
        let nextSum = (row[1] as number) * 3 + (other[1] as number);
        line[0] = (thisSum * 4 + 8) >> 4;
        line[1] = (thisSum * 3 + nextSum + 7) >> 4;
        let lastSum = thisSum;
        thisSum = nextSum;
        for (let x = 1; x < cw - 1; x++) {
          nextSum = (row[x + 1] as number) * 3 + (other[x + 1] as number);
          line[2 * x] = (thisSum * 3 + lastSum + 8) >> 4;
          line[2 * x + 1] = (thisSum * 3 + nextSum + 7) >> 4;
          lastSum = thisSum;
          thisSum = nextSum;
        }
        line[2 * cw - 2] = (thisSum * 3 + lastSum + 8) >> 4;
        line[2 * cw - 1] = (thisSum * 4 + 7) >> 4;
      }
      out.set(line.subarray(0, width), y * width);
    }
    return out;
  }
  for (let y = 0; y < height; y++) {
    const inRow = Math.floor(y / vRatio) * stride;
    for (let x = 0; x < width; x++) out[y * width + x] = plane[inRow + Math.floor(x / hRatio)] as number;
  }
  return out;
}

/** YCbCr → RGB as IJG's jdcolor.c ycc_rgb_convert: 16-bit fixed-point tables, clamped. */
function yccToRgb(y: Uint16Array, cb: Uint16Array, cr: Uint16Array, out: Uint16Array, precision: number): void {
  const max = (1 << precision) - 1;
  const centre = 1 << (precision - 1);
  const SCALE = 16;
  const half = 1 << (SCALE - 1);
  const fix = (x: number): number => Math.floor(x * (1 << SCALE) + 0.5);
  const crR = new Int32Array(max + 1);
  const cbB = new Int32Array(max + 1);
  const crG = new Int32Array(max + 1);
  const cbG = new Int32Array(max + 1);
  for (let i = 0; i <= max; i++) {
    const x = i - centre;
    crR[i] = (fix(1.402) * x + half) >> SCALE;
    cbB[i] = (fix(1.772) * x + half) >> SCALE;
    crG[i] = -fix(0.71414) * x;
    cbG[i] = -fix(0.34414) * x + half;
  }
  const clamp = (v: number): number => (v < 0 ? 0 : v > max ? max : v);
  for (let i = 0, o = 0; i < y.length; i++, o += 3) {
    const luma = y[i] as number;
    const b = cb[i] as number;
    const r = cr[i] as number;
    out[o] = clamp(luma + (crR[r] as number));
    out[o + 1] = clamp(luma + (((cbG[b] as number) + (crG[r] as number)) >> SCALE));
    out[o + 2] = clamp(luma + (cbB[b] as number));
  }
}
