/**
 * JPEG lossless, process 14 (ISO 10918-1 Annex H): Huffman-coded differences against one of
 * seven predictors, 2–16-bit samples, point transform, restart intervals, one or more
 * components (interleaved or one scan each, sampling 1×1).
 *
 * The project's own decoder. It replaced jpeg-lossless-decoder-js 2.1.2, which dropped the last
 * sample of some frames (a signed CT encoded by `dcmcjpeg +e1` came back with its last pixel 0):
 * that decoder treats "a marker has entered my bit buffer" as "the current code is cut off"
 * whenever fewer than 9 bits are left, so when the EOI marker is read ahead while the final
 * Huffman code still lies in the last data byte, the last sample is abandoned and never written.
 * Here the bit reader (./jpeg-bitstream.ts) supplies zero bits after a marker and only counts
 * it as damage when a code actually uses them.
 */
import { BitReader, jpegFail, readFrameHeader, readHuffmanTables, readScanHeader, walkMarkers, type FrameHeader, type HuffmanTable } from './jpeg-bitstream.ts';

export interface DecodedLossless {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** The predictor (selection value) of the first scan, 1–7. */
  predictor: number;
  /** Component-interleaved samples in [0, 2^precision − 1] (point transform undone). */
  samples: Uint16Array;
}

/**
 * @param data One JPEG codestream with an SOF3 frame (SOI … EOI).
 * @param maxSamples Refuse a frame header declaring more samples than this (before allocating).
 */
export function decodeLosslessJpeg(data: Uint8Array, maxSamples: number): DecodedLossless {
  const dcTables: Array<HuffmanTable | undefined> = [];
  const unusedAc: Array<HuffmanTable | undefined> = [];
  let frame: FrameHeader | undefined;
  let samples = new Uint16Array(0);
  let restartInterval = 0;
  let predictor = 0;
  const decoded = new Set<number>();
  walkMarkers(data, (marker, start, end) => {
    if (marker === 0xc4) readHuffmanTables(data, start, end, dcTables, unusedAc);
    else if (marker === 0xdd) restartInterval = (data[start]! << 8) | data[start + 1]!;
    else if (marker === 0xc3) {
      if (frame) jpegFail('it holds two frame headers.');
      frame = readFrameHeader(data, marker, start, end, maxSamples);
      if (frame.precision < 2 || frame.precision > 16) jpegFail(`lossless sample precision ${frame.precision} is outside 2…16.`);
      if (frame.hMax !== 1 || frame.vMax !== 1) jpegFail('subsampled components in a lossless frame are not supported.');
      samples = new Uint16Array(frame.width * frame.height * frame.components.length);
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      jpegFail(`expected a lossless frame (SOF3), but found SOF marker 0x${marker.toString(16).toUpperCase()}.`);
    } else if (marker === 0xda) {
      if (!frame) jpegFail('a scan comes before the frame header.');
      const scan = readScanHeader(data, start, end, frame);
      if (scan.ss < 1 || scan.ss > 7) jpegFail(`lossless predictor ${scan.ss} is outside 1…7.`);
      if (scan.al >= frame.precision) jpegFail(`point transform ${scan.al} is not below the precision ${frame.precision}.`);
      for (const c of scan.components) {
        if (decoded.has(c.index)) jpegFail('a component is coded in two scans.');
        decoded.add(c.index);
      }
      if (predictor === 0) predictor = scan.ss;
      return decodeScan(data, end, frame, scan, dcTables, restartInterval, samples);
    }
  });
  if (!frame || decoded.size !== frame.components.length) jpegFail('the codestream has no frame, or a component without a scan.');
  return { width: frame.width, height: frame.height, precision: frame.precision, components: frame.components.length, predictor, samples };
}

function decodeScan(
  data: Uint8Array,
  start: number,
  frame: FrameHeader,
  scan: ReturnType<typeof readScanHeader>,
  dcTables: Array<HuffmanTable | undefined>,
  restartInterval: number,
  samples: Uint16Array,
): number {
  const { width, height } = frame;
  const stride = frame.components.length;
  const count = scan.components.length;
  const tables = scan.components.map((c) => dcTables[c.td] ?? jpegFail('a scan uses an undefined Huffman table.'));
  const offsets = scan.components.map((c) => c.index);
  const pt = scan.al;
  const initial = 1 << (frame.precision - pt - 1);
  const predictor = scan.ss;
  const reader = new BitReader(data, start);
  const rowStride = width * stride;
  // Samples are predicted in the point-transformed domain and stored shifted back (H.1.2.1).
  let restarts = 0;
  let untilRestart = restartInterval;
  /** Index of the first sample of the current restart interval: prediction starts over there. */
  let firstOfInterval = 0;
  let firstRowStart = 0;
  const total = width * height;
  for (let pixel = 0; pixel < total; pixel++) {
    if (restartInterval > 0) {
      if (untilRestart === 0) {
        reader.restart(restarts++);
        untilRestart = restartInterval;
        firstOfInterval = pixel;
        firstRowStart = pixel - (pixel % width);
      }
      untilRestart--;
    }
    const x = pixel % width;
    const base = pixel * stride;
    // The first line of the image, or of a restart interval, predicts from the left (H.1.2.1).
    const firstLine = pixel - x === firstRowStart;
    for (let k = 0; k < count; k++) {
      const at = base + (offsets[k] as number);
      let prediction: number;
      if (pixel === firstOfInterval) prediction = initial;
      else if (firstLine) prediction = (samples[at - stride] as number) >> pt;
      else if (x === 0) prediction = (samples[at - rowStride] as number) >> pt;
      else {
        const ra = (samples[at - stride] as number) >> pt;
        const rb = (samples[at - rowStride] as number) >> pt;
        const rc = (samples[at - rowStride - stride] as number) >> pt;
        switch (predictor) {
          case 1:
            prediction = ra;
            break;
          case 2:
            prediction = rb;
            break;
          case 3:
            prediction = rc;
            break;
          case 4:
            prediction = ra + rb - rc;
            break;
          case 5:
            prediction = ra + ((rb - rc) >> 1);
            break;
          case 6:
            prediction = rb + ((ra - rc) >> 1);
            break;
          default:
            prediction = (ra + rb) >> 1;
        }
      }
      const category = reader.decode(tables[k] as HuffmanTable);
      if (category > 16) jpegFail(`a difference category ${category} is out of range.`);
      const difference = category === 16 ? 32768 : reader.receiveExtend(category);
      samples[at] = ((prediction + difference) & 0xffff) << pt;
    }
  }
  return reader.finish();
}
