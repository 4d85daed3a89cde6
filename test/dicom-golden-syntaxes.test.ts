/**
 * The golden test: one synthetic image encoded in every transfer syntax we can encode, each
 * decode compared with the original sample by sample (lossless: identical; lossy: within the
 * encoder's stated bound).
 */
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import type { PixelArray } from '../core/dicom/decoded-image.ts';
import * as UID from '../core/dicom/transfer-syntax-uids.ts';
import { encodeFlatJpeg12, encodeHtj2k, encodeJ2k, encodeJpegBaseline, encodeJpegLosslessSv1, encodeJpegLs, type RawImage } from './dicom-encoders.ts';
import { buildDicom, bytesOf, encodeRleFrame, imagePixelElements } from './dicom-test-files.ts';

const W = 67; // odd width: exercises padding and row ends
const H = 41;

/** A smooth pattern with edges and noise-like detail; 12 significant bits. */
function synthetic16(): Uint16Array {
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) out[y * W + x] = (2048 + Math.round(1500 * Math.sin(x / 7) * Math.cos(y / 5)) + ((x * 31 + y * 17) % 97) + (x > 40 ? 300 : 0)) & 0xfff;
  }
  return out;
}

function maxDifference(a: PixelArray, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const original = synthetic16();
const raw: RawImage = { pixels: original, width: W, height: H, components: 1 };
const elements = imagePixelElements({ rows: H, columns: W, bitsAllocated: 16, bitsStored: 12 });

async function roundTrip(transferSyntaxUID: string, fragment: Uint8Array): Promise<PixelArray> {
  const image = await decodeDicom(buildDicom({ transferSyntaxUID, elements, pixels: { fragments: [fragment] } }));
  expect(image.transferSyntaxUID).toBe(transferSyntaxUID);
  return image.frames[0]!;
}

describe('one 16-bit image in every transfer syntax', () => {
  it('native explicit VR little endian', async () => {
    const image = await decodeDicom(buildDicom({ elements, pixels: { native: bytesOf(original) } }));
    expect(maxDifference(image.frames[0]!, original)).toBe(0);
  });

  it.each([
    ['RLE Lossless', UID.RLE_LOSSLESS, () => encodeRleFrame(original, H, W, 1)],
    ['JPEG Lossless SV1', UID.JPEG_LOSSLESS_SV1, () => encodeJpegLosslessSv1(original, W, H, 12)],
    ['JPEG Lossless process 14', UID.JPEG_LOSSLESS_PROCESS_14, () => encodeJpegLosslessSv1(original, W, H, 16)],
    ['JPEG-LS Lossless', UID.JPEG_LS_LOSSLESS, () => encodeJpegLs(raw)],
    ['JPEG 2000 Lossless', UID.JPEG_2000_LOSSLESS, () => encodeJ2k(raw)],
    ['HTJ2K Lossless', UID.HTJ2K_LOSSLESS, () => encodeHtj2k(raw)],
    ['HTJ2K RPCL Lossless', UID.HTJ2K_LOSSLESS_RPCL, () => encodeHtj2k(raw)],
    ['HTJ2K', UID.HTJ2K, () => encodeHtj2k(raw)],
    ['Encapsulated Uncompressed', UID.ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN, () => bytesOf(original)],
  ])('%s decodes pixel-identical to the original', async (_name, uid, encode) => {
    const decoded = await roundTrip(uid, await encode());
    expect(decoded).toBeInstanceOf(Uint16Array);
    expect(maxDifference(decoded, original)).toBe(0);
  });

  it.each([0, 1, 2] as const)('colour JPEG-LS with interleave mode %i decodes to the interleaved RGB original', async (mode) => {
    const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 37 + (i % 3) * 80) & 0xff);
    const fragment = await encodeJpegLs({ pixels: rgb, width: W, height: H, components: 3 }, 0, mode);
    const image = await decodeDicom(
      buildDicom({ transferSyntaxUID: UID.JPEG_LS_LOSSLESS, elements: imagePixelElements({ rows: H, columns: W, bitsAllocated: 8, samplesPerPixel: 3 }), pixels: { fragments: [fragment] } }),
    );
    expect(image.photometricInterpretation).toBe('RGB');
    expect(maxDifference(image.frames[0]!, rgb)).toBe(0);
  });

  it('JPEG-LS near-lossless (NEAR = 3) stays within 3', async () => {
    const decoded = await roundTrip(UID.JPEG_LS_NEAR_LOSSLESS, await encodeJpegLs(raw, 3));
    const max = maxDifference(decoded, original);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(3);
  });

  it('signed 16-bit through JPEG-LS and JPEG 2000 comes back as the same Int16 values', async () => {
    const signed = Int16Array.from(original, (v) => v - 2048);
    const bits = new Uint16Array(signed.buffer);
    const signedElements = imagePixelElements({ rows: H, columns: W, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 1 });
    for (const [uid, fragment] of [
      [UID.JPEG_LS_LOSSLESS, await encodeJpegLs({ ...raw, pixels: bits })],
      [UID.RLE_LOSSLESS, encodeRleFrame(signed, H, W, 1)],
    ] as const) {
      const image = await decodeDicom(buildDicom({ transferSyntaxUID: uid, elements: signedElements, pixels: { fragments: [fragment] } }));
      expect(image.frames[0]).toBeInstanceOf(Int16Array);
      expect(maxDifference(image.frames[0]!, signed), uid).toBe(0);
    }
  });

  it('JPEG Extended 12-bit (flat 8×8 blocks, DC only, restart interval 3) decodes exactly', async () => {
    const blocks = Array.from({ length: 4 * 3 }, (_, i) => (i * 389) % 4096);
    const expected = new Uint16Array(32 * 24);
    for (let y = 0; y < 24; y++) for (let x = 0; x < 32; x++) expected[y * 32 + x] = blocks[Math.floor(y / 8) * 4 + Math.floor(x / 8)]!;
    const image = await decodeDicom(
      buildDicom({
        transferSyntaxUID: UID.JPEG_EXTENDED_12BIT,
        elements: imagePixelElements({ rows: 24, columns: 32, bitsAllocated: 16, bitsStored: 12 }),
        pixels: { fragments: [encodeFlatJpeg12(blocks, 32, 24, 3)] },
      }),
    );
    expect(maxDifference(image.frames[0]!, expected)).toBe(0);
  });

  it('JPEG baseline 8-bit grey (quality 90) stays within 8 of the original, mean under 2', async () => {
    const eight = Uint8Array.from(original, (v) => v >> 4);
    const fragment = await encodeJpegBaseline({ pixels: eight, width: W, height: H, components: 1 });
    const image = await decodeDicom(
      buildDicom({ transferSyntaxUID: UID.JPEG_BASELINE_8BIT, elements: imagePixelElements({ rows: H, columns: W, bitsAllocated: 8 }), pixels: { fragments: [fragment] } }),
    );
    const frame = image.frames[0]!;
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(maxDifference(frame, eight)).toBeLessThanOrEqual(8);
    let sum = 0;
    for (let i = 0; i < frame.length; i++) sum += Math.abs(frame[i]! - eight[i]!);
    expect(sum / frame.length).toBeLessThan(2);
  });
});
