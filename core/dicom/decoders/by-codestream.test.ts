import { describe, expect, it } from 'vitest';
import { encodeFlatJpeg12, encodeHtj2k, encodeJ2k, encodeJpegBaseline, encodeJpegLosslessSv1, encodeJpegLs } from '../../../test/dicom-encoders.ts';
import { buildDicom, imagePixelElements } from '../../../test/dicom-test-files.ts';
import { codeOf } from '../../../test/typed-error-code.ts';
import { decodeDicom } from '../decode-dicom.ts';
import * as UID from '../transfer-syntax-uids.ts';
import { codestreamKind } from './by-codestream.ts';

const grey16 = Uint16Array.from({ length: 64 * 48 }, (_, i) => (i * 37) % 4096);
const grey8 = Uint8Array.from({ length: 64 * 48 }, (_, i) => (i * 7) % 256);
const raw16 = { pixels: grey16, width: 64, height: 48, components: 1 as const };

describe('decoding by what the codestream declares', () => {
  it('names each codestream by its marker', async () => {
    expect(codestreamKind(await encodeJpegBaseline({ pixels: grey8, width: 64, height: 48, components: 1 }))).toBe('jpeg-baseline');
    expect(codestreamKind(await encodeJpegBaseline({ pixels: grey8, width: 64, height: 48, components: 1 }, true))).toBe('jpeg-progressive');
    expect(codestreamKind(encodeFlatJpeg12([1, 2], 16, 8))).toBe('jpeg-extended');
    expect(codestreamKind(encodeJpegLosslessSv1(grey16, 64, 48, 12))).toBe('jpeg-lossless');
    expect(codestreamKind(await encodeJpegLs(raw16))).toBe('jpeg-ls');
    expect(codestreamKind(await encodeJ2k(raw16))).toBe('jpeg-2000');
    expect(codestreamKind(await encodeHtj2k(raw16))).toBe('htj2k');
  });

  it('decodes a codestream under the wrong UID with a warning naming both; a matching one without', async () => {
    const elements = imagePixelElements({ rows: 48, columns: 64, bitsAllocated: 16, bitsStored: 12 });
    const lossless = encodeJpegLosslessSv1(grey16, 64, 48, 12);
    const mislabelled = await decodeDicom(buildDicom({ transferSyntaxUID: UID.JPEG_2000_LOSSLESS, elements, pixels: { fragments: [lossless] } }));
    expect(Array.from(mislabelled.frames[0]!)).toEqual(Array.from(grey16));
    expect(mislabelled.warnings).toEqual([
      'The transfer syntax says JPEG 2000 (Lossless Only) (1.2.840.10008.1.2.4.90), but the pixel data is JPEG lossless (SOF3); RadLocal decoded it as the codestream declares.',
    ]);
    const right = await decodeDicom(buildDicom({ transferSyntaxUID: UID.JPEG_LOSSLESS_SV1, elements, pixels: { fragments: [lossless] } }));
    expect(right.warnings).toBeUndefined();
    const htj2kAsJ2k = await decodeDicom(buildDicom({ transferSyntaxUID: UID.JPEG_2000_LOSSLESS, elements, pixels: { fragments: [await encodeHtj2k(raw16)] } }));
    expect(Array.from(htj2kAsJ2k.frames[0]!)).toEqual(Array.from(grey16));
    expect(htj2kAsJ2k.warnings?.[0]).toContain('High-Throughput JPEG 2000');
  });

  it('refuses arithmetic-coded or hierarchical JPEG, and pixel data that is no codestream, with typed errors', async () => {
    const elements = imagePixelElements({ rows: 8, columns: 16, bitsAllocated: 16, bitsStored: 12 });
    const arithmetic = encodeFlatJpeg12([1, 2], 16, 8);
    arithmetic[arithmetic.indexOf(0xc1, 2)] = 0xc9;
    expect(await codeOf(decodeDicom(buildDicom({ transferSyntaxUID: UID.JPEG_EXTENDED_12BIT, elements, pixels: { fragments: [arithmetic] } })))).toBe('DICOM_UNSUPPORTED_TRANSFER_SYNTAX');
    expect(await codeOf(decodeDicom(buildDicom({ transferSyntaxUID: UID.JPEG_EXTENDED_12BIT, elements, pixels: { fragments: [new Uint8Array(64)] } })))).toBe('DICOM_DECODE_FAILED');
  });
});
