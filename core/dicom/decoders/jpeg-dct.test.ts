import decodeWithJpegJs from 'jpeg-js/lib/decoder.js';
import { describe, expect, it } from 'vitest';
import { encodeFlatJpeg12, encodeJpegBaseline } from '../../../test/dicom-encoders.ts';
import { RadLocalError } from '../../errors/radlocal-error.ts';
import { withDecoder } from '../codec-loader.ts';
import { decodeDctJpeg } from './jpeg-dct.ts';

const W = 67;
const H = 45;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('decodeDctJpeg (own DCT decoder)', () => {
  it('decodes 12-bit flat blocks exactly, across restart intervals', () => {
    const values = [0, 4095, 2048, 1, 4094, 1234, 777, 3000, 5, 2047, 2049, 4000];
    const width = 32;
    const height = 24; // 4 × 3 blocks
    for (const restart of [0, 1, 5]) {
      const decoded = decodeDctJpeg(encodeFlatJpeg12(values, width, height, restart), width * height);
      expect([decoded.width, decoded.height, decoded.precision, decoded.components]).toEqual([width, height, 12, 1]);
      const expected = new Uint16Array(width * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expected[y * width + x] = values[Math.floor(y / 8) * 4 + Math.floor(x / 8)]!;
      expect(maxDifference(decoded.samples, expected), `restart ${restart}`).toBe(0);
    }
  });

  it.each([false, true])('equals libjpeg-turbo (same islow integer IDCT) on an 8-bit grey stream with AC coefficients and odd size (progressive %s)', async (progressive) => {
    const grey = Uint8Array.from({ length: W * H }, (_, i) => (128 + Math.round(90 * Math.sin((i % W) / 5) * Math.cos(Math.floor(i / W) / 4)) + ((i * 7) % 13)) & 0xff);
    const stream = await encodeJpegBaseline({ pixels: grey, width: W, height: H, components: 1 }, progressive);
    const reference = await withDecoder('libjpeg-turbo-8bit', undefined, stream, (d) => d.getDecodedBuffer().slice());
    const ours = decodeDctJpeg(stream, W * H);
    expect(ours.marker).toBe(progressive ? 0xc2 : 0xc0);
    expect(maxDifference(ours.samples, reference)).toBe(0);
  });

  it('matches jpeg-js within 1 on a 4:2:0 colour stream (component planes, no colour transform)', async () => {
    const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 5 + Math.floor(i / 200) * 3) & 0xff);
    const stream = await encodeJpegBaseline({ pixels: rgb, width: W, height: H, components: 3 });
    const reference = decodeWithJpegJs(stream, { useTArray: true, formatAsRGBA: false, colorTransform: false });
    const ours = decodeDctJpeg(stream, W * H * 3);
    expect(ours.components).toBe(3);
    expect(maxDifference(ours.samples, reference.data)).toBeLessThanOrEqual(1);
  });

  it('refuses lossless and arithmetic-coded frames, oversized frames and garbage with typed errors', () => {
    const stream = encodeFlatJpeg12([100], 8, 8);
    const lossless = stream.slice();
    lossless[lossless.indexOf(0xc1, 2)] = 0xc3;
    const arithmetic = stream.slice();
    arithmetic[arithmetic.indexOf(0xc1, 2)] = 0xc9;
    for (const [bytes, limit] of [
      [lossless, 64],
      [arithmetic, 64],
      [stream, 63],
      [Uint8Array.from([0xff, 0xd8, 0x00, 0x00, 0x00]), 64],
      [stream.subarray(0, 40), 64],
    ] as const) {
      expect(() => decodeDctJpeg(bytes, limit)).toThrow(RadLocalError);
    }
  });
});
