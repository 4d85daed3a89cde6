/**
 * Golden round trip: one image written in every transfer syntax the writer supports, each
 * decoded with the project's own core/dicom and compared pixel by pixel with the original.
 */
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../../../core/dicom/decode-dicom.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN, JPEG_2000_LOSSLESS, JPEG_LS_LOSSLESS, RLE_LOSSLESS } from '../../../core/dicom/transfer-syntax-uids.ts';
import type { ElementSpec } from '../../../core/dicom-write/element-spec.ts';
import { encodeElement, formatDecimalString } from '../../../core/dicom-write/encode-element.ts';
import { encodeRleFrame } from './rle-encode.ts';
import { writePart10, type WriteTransferSyntax } from './write-part10.ts';

const ROWS = 37;
const COLUMNS = 300; // > 128 so PackBits splits literal and replicate runs inside a row
function image12(): Uint16Array {
  const px = new Uint16Array(ROWS * COLUMNS);
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLUMNS; c++) px[r * COLUMNS + c] = c < 100 ? 4095 : c < 200 ? (r * 31 + c * 17) % 4096 : 512 + (c >> 4);
  }
  return px;
}

function dataset(bitsStored: number, photometric = 'MONOCHROME2'): ElementSpec[] {
  return [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.1.1' },
    { tag: 0x00080018, vr: 'UI', value: '2.25.1234' },
    { tag: 0x00080060, vr: 'CS', value: 'DX' },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: photometric },
    { tag: 0x00280010, vr: 'US', value: ROWS },
    { tag: 0x00280011, vr: 'US', value: COLUMNS },
    { tag: 0x00280030, vr: 'DS', value: [0.35, 0.35] },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: bitsStored },
    { tag: 0x00280102, vr: 'US', value: bitsStored - 1 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281050, vr: 'DS', value: 2048 },
    { tag: 0x00281051, vr: 'DS', value: 4096 },
    { tag: 0x00281052, vr: 'DS', value: -1024 },
    { tag: 0x00281053, vr: 'DS', value: 0.5 },
  ];
}

describe('writePart10 → decodeDicom round trip', () => {
  const syntaxes: WriteTransferSyntax[] = [EXPLICIT_VR_LITTLE_ENDIAN, RLE_LOSSLESS, JPEG_LS_LOSSLESS, JPEG_2000_LOSSLESS];
  for (const ts of syntaxes) {
    it(`${ts}: pixels and attributes survive`, async () => {
      const pixels = image12();
      const bytes = await writePart10({
        sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
        sopInstanceUID: '2.25.1234',
        transferSyntaxUID: ts,
        dataset: dataset(12),
        frames: [pixels],
        rows: ROWS,
        columns: COLUMNS,
        bitsStored: 12,
      });
      expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
      const image = await decodeDicom(bytes);
      expect(image.transferSyntaxUID).toBe(ts);
      expect([image.rows, image.columns, image.bitsStored, image.modality, image.bodyPartExamined]).toEqual([ROWS, COLUMNS, 12, 'DX', 'CHEST']);
      expect([image.rescaleSlope, image.rescaleIntercept, image.windowCenter, image.windowWidth]).toEqual([0.5, -1024, [2048], [4096]]);
      expect(image.pixelSpacing).toEqual([0.35, 0.35]);
      expect(Array.from(image.frames[0] ?? [])).toEqual(Array.from(pixels));
    });
  }

  it('writes a two-frame RLE file whose basic offset table points at each frame', async () => {
    const a = image12();
    const b = a.map((v) => 4095 - v);
    const bytes = await writePart10({
      sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
      sopInstanceUID: '2.25.1234',
      transferSyntaxUID: RLE_LOSSLESS,
      dataset: [...dataset(12), { tag: 0x00280008, vr: 'IS', value: 2 }],
      frames: [a, b],
      rows: ROWS,
      columns: COLUMNS,
      bitsStored: 12,
    });
    const image = await decodeDicom(bytes);
    expect(image.numberOfFrames).toBe(2);
    expect(Array.from(image.frames[1] ?? [])).toEqual(Array.from(b));
  });

  it('group 0002 length counts exactly the meta elements after it', async () => {
    const bytes = await writePart10({
      sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1', sopInstanceUID: '2.25.1', transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
      dataset: dataset(12), frames: [image12()], rows: ROWS, columns: COLUMNS, bitsStored: 12,
    });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const groupEnd = 132 + 12 + view.getUint32(132 + 8, true);
    expect(view.getUint16(groupEnd, true)).toBe(0x0008); // first data set element follows the meta group
  });
});

describe('element encoding', () => {
  it('pads UI with NUL and text with space to even length', () => {
    expect(Array.from(encodeElement({ tag: 0x00080018, vr: 'UI', value: '1.2.3' }))).toEqual([8, 0, 0x18, 0, 0x55, 0x49, 6, 0, 0x31, 0x2e, 0x32, 0x2e, 0x33, 0]);
    expect(Array.from(encodeElement({ tag: 0x00080060, vr: 'CS', value: 'CR ' }).subarray(8))).toEqual([0x43, 0x52, 0x20, 0x20]);
  });

  it('writes DS within 16 characters', () => {
    expect(formatDecimalString(0.1 + 0.2)).toBe('0.3');
    expect(formatDecimalString(-1024)).toBe('-1024');
    expect(formatDecimalString(1 / 3).length).toBeLessThanOrEqual(16);
  });

  it('RLE: a constant 300-pixel row is three replicate runs (128 + 128 + 44)', () => {
    const rle = encodeRleFrame(new Uint8Array(300).fill(7), 1, 300);
    const view = new DataView(rle.buffer);
    expect(view.getUint32(0, true)).toBe(1);
    expect(view.getUint32(4, true)).toBe(64);
    expect(Array.from(rle.subarray(64))).toEqual([129, 7, 129, 7, 213, 7]);
  });
});
