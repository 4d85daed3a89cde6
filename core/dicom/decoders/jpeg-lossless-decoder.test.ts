import { describe, expect, it } from 'vitest';
import { encodeJpegLosslessSv1 } from '../../../test/dicom-encoders.ts';
import { buildDicom, imagePixelElements } from '../../../test/dicom-test-files.ts';
import { codeOf } from '../../../test/typed-error-code.ts';
import { decodeDicom } from '../decode-dicom.ts';
import { JPEG_LOSSLESS_SV1 } from '../transfer-syntax-uids.ts';
import { decodeLosslessJpeg } from './jpeg-lossless-decoder.ts';

/** A random walk of small steps around 30000: the image on which jpeg-lossless-decoder-js 2.1.2 lost its last sample. */
function walkImage(seed: number, width: number, height: number, amplitude: number): Uint16Array {
  const out = new Uint16Array(width * height);
  let s = seed;
  let v = 30000;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    v = (v + ((s >>> 16) % (2 * amplitude + 1)) - amplitude) & 0xffff;
    out[i] = v;
  }
  return out;
}

describe('decodeLosslessJpeg (own process-14 decoder)', () => {
  // Found by searching seeds: the old decoder returned 0 for the last sample of each of these.
  it.each([
    [232, 16, 4, 4],
    [352, 6, 5, 1],
    [881, 15, 9, 4],
  ])('regression: the last sample survives when EOI follows the final code closely (seed %i, %i×%i)', (seed, width, height, amplitude) => {
    const pixels = walkImage(seed, width, height, amplitude);
    const decoded = decodeLosslessJpeg(encodeJpegLosslessSv1(pixels, width, height, 16), width * height);
    expect(decoded.samples.at(-1)).toBe(pixels.at(-1));
    expect(Array.from(decoded.samples)).toEqual(Array.from(pixels));
  });

  it('regression: a signed 16-bit frame keeps its last pixel through decodeDicom', async () => {
    const pixels = walkImage(352, 6, 5, 1);
    const signed = new Int16Array(pixels.buffer.slice(0));
    const file = buildDicom({
      transferSyntaxUID: JPEG_LOSSLESS_SV1,
      elements: imagePixelElements({ rows: 5, columns: 6, bitsAllocated: 16, pixelRepresentation: 1 }),
      pixels: { fragments: [encodeJpegLosslessSv1(pixels, 6, 5, 16)] },
    });
    const image = await decodeDicom(file);
    expect(image.frames[0]).toBeInstanceOf(Int16Array);
    expect(Array.from(image.frames[0]!)).toEqual(Array.from(signed));
  });

  it.each([1, 3, 7])('restart intervals of %i row(s): prediction starts over after every RSTn', (rows) => {
    const pixels = walkImage(881, 15, 9, 400);
    const stream = encodeJpegLosslessSv1(pixels, 15, 9, 16, rows);
    expect(stream.includes(0xdd)).toBe(true);
    expect(Array.from(decodeLosslessJpeg(stream, 15 * 9).samples)).toEqual(Array.from(pixels));
    // A restart marker out of sequence is damage, not data.
    const rst = stream.findIndex((b, i) => b === 0xff && stream[i + 1] === 0xd0);
    const wrong = stream.slice();
    wrong[rst + 1] = 0xd3;
    expect(() => decodeLosslessJpeg(wrong, 15 * 9)).toThrow(/restart marker/);
  });

  it('refuses a stream cut short, a missing table and garbage with typed errors, without touching the input', async () => {
    const pixels = walkImage(38, 17, 6, 16);
    const stream = encodeJpegLosslessSv1(pixels, 17, 6, 16);
    const before = stream.slice();
    const cut = stream.slice(0, stream.length - 20);
    const noTable = stream.slice();
    noTable[noTable.indexOf(0xc4, 2)] = 0xfe; // DHT → COM: the scan has no Huffman table
    for (const bytes of [cut, noTable, Uint8Array.of(0xff, 0xd8, 0xff, 0xc3, 0, 2), Uint8Array.of(1, 2, 3)]) {
      expect(await codeOf(Promise.resolve().then(() => decodeLosslessJpeg(bytes, 17 * 6)))).toBe('DICOM_DECODE_FAILED');
    }
    expect(await codeOf(Promise.resolve().then(() => decodeLosslessJpeg(stream, 17 * 6 - 1)))).toBe('DICOM_DECODE_FAILED');
    expect(stream).toEqual(before);
  });
});
