import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodeJpegBaseline } from '../../test/dicom-encoders.ts';
import { buildDicom, imagePixelElements } from '../../test/dicom-test-files.ts';
import { codeOf } from '../../test/typed-error-code.ts';
import { decodeImageFile } from './decode-image-file.ts';
import { detectImageFormat } from './detect-format.ts';

describe('decodeImageFile', () => {
  it('reads 8- and 16-bit grey PNGs as MONOCHROME2 with exact values', async () => {
    const grey8 = await decodeImageFile(encodePng({ width: 3, height: 2, data: Uint8Array.from([0, 1, 2, 253, 254, 255]), channels: 1, depth: 8 }));
    expect(grey8).toMatchObject({ source: 'png', rows: 2, columns: 3, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', bitsAllocated: 8, bitsStored: 8, transferSyntaxUID: undefined });
    expect(Array.from(grey8.frames[0]!)).toEqual([0, 1, 2, 253, 254, 255]);
    const grey16 = await decodeImageFile(encodePng({ width: 2, height: 1, data: Uint16Array.from([1000, 65535]), channels: 1, depth: 16 }));
    expect(grey16.frames[0]).toBeInstanceOf(Uint16Array);
    expect(Array.from(grey16.frames[0]!)).toEqual([1000, 65535]);
    expect([grey16.bitsAllocated, grey16.bitsStored]).toEqual([16, 16]);
  });

  it('reads RGB and drops alpha from RGBA and grey+alpha PNGs', async () => {
    const rgba = await decodeImageFile(encodePng({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 0]), channels: 4, depth: 8 }));
    expect(rgba.photometricInterpretation).toBe('RGB');
    expect(Array.from(rgba.frames[0]!)).toEqual([10, 20, 30, 40, 50, 60]);
    const greyAlpha = await decodeImageFile(encodePng({ width: 2, height: 1, data: Uint8Array.from([7, 255, 9, 128]), channels: 2, depth: 8 }));
    expect(greyAlpha.samplesPerPixel).toBe(1);
    expect(Array.from(greyAlpha.frames[0]!)).toEqual([7, 9]);
  });

  it('expands palette PNGs to RGB', async () => {
    const png = encodePng({ width: 3, height: 1, data: Uint8Array.from([0, 1, 1]), channels: 1, depth: 8, palette: [[255, 0, 0], [0, 0, 255]] });
    const image = await decodeImageFile(png);
    expect(image.photometricInterpretation).toBe('RGB');
    expect(Array.from(image.frames[0]!)).toEqual([255, 0, 0, 0, 0, 255, 0, 0, 255]);
  });

  it('reads a colour JPEG as RGB close to its source', async () => {
    const size = 16;
    const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => [200, 100, 50][i % 3]!);
    const image = await decodeImageFile(await encodeJpegBaseline({ pixels: rgb, width: size, height: size, components: 3 }));
    expect(image).toMatchObject({ source: 'jpeg', rows: size, columns: size, samplesPerPixel: 3, photometricInterpretation: 'RGB' });
    const frame = image.frames[0]!;
    for (let i = 0; i < frame.length; i++) expect(Math.abs(frame[i]! - rgb[i]!)).toBeLessThanOrEqual(3);
  });

  it('routes DICOM by content, with and without preamble', async () => {
    const file = buildDicom({ elements: imagePixelElements({ rows: 1, columns: 2, bitsAllocated: 8 }), pixels: { native: Uint8Array.from([4, 5]), vr: 'OB' } });
    expect(detectImageFormat(file)).toBe('dicom');
    expect(detectImageFormat(file.subarray(132))).toBe('dicom');
    expect(Array.from((await decodeImageFile(file.subarray(132))).frames[0]!)).toEqual([4, 5]);
  });

  it('gives typed errors for broken or unknown input', async () => {
    const png = encodePng({ width: 4, height: 4, data: new Uint8Array(16), channels: 1, depth: 8 });
    expect(await codeOf(decodeImageFile(png.subarray(0, 40)))).toBe('IMAGE_DECODE_FAILED');
    expect(await codeOf(decodeImageFile(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 2, 0xff, 0xd9])))).toBe('IMAGE_DECODE_FAILED');
    expect(await codeOf(decodeImageFile(new TextEncoder().encode('GIF89a is not supported here')))).toBe('DICOM_NOT_DICOM');
    const hugePng = png.slice();
    new DataView(hugePng.buffer).setUint32(16, 100_000); // IHDR width
    expect(await codeOf(decodeImageFile(hugePng, { maxDecodedBytes: 1 << 20 }))).toBe('INPUT_TOO_LARGE');
  });
});
