import { describe, expect, it } from 'vitest';
import { buildDicom, bytesOf, encodeRleFrame, imagePixelElements, type ElementSpec } from '../../test/dicom-test-files.ts';
import { codeOf } from '../../test/typed-error-code.ts';
import { decodeDicom } from './decode-dicom.ts';
import { RLE_LOSSLESS } from './transfer-syntax-uids.ts';

const CT_TAGS: ElementSpec[] = [
  { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
  { tag: 0x00080060, vr: 'CS', value: 'CT' },
  { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
  { tag: 0x00185101, vr: 'CS', value: 'PA' },
  { tag: 0x0020000d, vr: 'UI', value: '1.2.3' },
  { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4' },
  { tag: 0x00280030, vr: 'DS', value: '0.5\\0.25' },
  { tag: 0x00281050, vr: 'DS', value: '40\\-600' },
  { tag: 0x00281051, vr: 'DS', value: '400\\1500' },
  { tag: 0x00281052, vr: 'DS', value: '-1024' },
  { tag: 0x00281053, vr: 'DS', value: '1' },
  { tag: 0x00281054, vr: 'LO', value: 'HU' },
];

describe('decodeDicom on synthetic files', () => {
  it('decodes 16-bit signed native pixels and fills the attributes', async () => {
    const values = Int16Array.from([-1024, 0, 1, 32767, -32768, 5]);
    const file = buildDicom({
      elements: [...CT_TAGS, ...imagePixelElements({ rows: 2, columns: 3, bitsAllocated: 16, pixelRepresentation: 1 })],
      pixels: { native: bytesOf(values) },
    });
    const image = await decodeDicom(file);
    expect(image.frames).toHaveLength(1);
    expect(image.frames[0]).toBeInstanceOf(Int16Array);
    expect(Array.from(image.frames[0]!)).toEqual([-1024, 0, 1, 32767, -32768, 5]);
    expect(image).toMatchObject({
      source: 'dicom',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      rows: 2,
      columns: 3,
      numberOfFrames: 1,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      bitsAllocated: 16,
      bitsStored: 16,
      highBit: 15,
      pixelRepresentation: 1,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
      rescaleType: 'HU',
      windowCenter: [40, -600],
      windowWidth: [400, 1500],
      modality: 'CT',
      bodyPartExamined: 'CHEST',
      viewPosition: 'PA',
      pixelSpacing: [0.5, 0.25],
      studyInstanceUID: '1.2.3',
      seriesInstanceUID: '1.2.3.4',
      sopInstanceUID: '1.2.3.4.5.6',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
    });
    expect(image.tags['00080060']).toBe('CT');
    expect(image.tags['00280010']).toBe('2');
    expect(image.tags['7fe00010']).toBe('<12 bytes>');
  });

  it('sign-extends 12-bit signed values stored without their upper bits', async () => {
    const raw = Uint16Array.from([0x0fff, 0x0800, 0x07ff, 0x0001]); // −1, −2048, 2047, 1 in 12 bits
    const file = buildDicom({
      elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1 }),
      pixels: { native: bytesOf(raw) },
    });
    expect(Array.from((await decodeDicom(file)).frames[0]!)).toEqual([-1, -2048, 2047, 1]);
  });

  it('interleaves planar RGB and converts YBR_FULL to RGB', async () => {
    const planar = Uint8Array.from([1, 2, 10, 20, 100, 200]); // R plane, G plane, B plane of 2 pixels
    const rgb = await decodeDicom(
      buildDicom({ elements: imagePixelElements({ rows: 1, columns: 2, bitsAllocated: 8, samplesPerPixel: 3, planarConfiguration: 1 }), pixels: { native: planar, vr: 'OB' } }),
    );
    expect(Array.from(rgb.frames[0]!)).toEqual([1, 10, 100, 2, 20, 200]);
    // Y=76 Cb=85 Cr=255 → R = 76 + 1.402·127 = 254.05, G = 76 + 0.344136·43 − 0.714136·127 = 0.10, B = 76 − 1.772·43 = −0.2 → 0
    const ybr = await decodeDicom(
      buildDicom({ elements: imagePixelElements({ rows: 1, columns: 1, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL' }), pixels: { native: Uint8Array.from([76, 85, 255, 0]), vr: 'OB' } }),
    );
    expect(ybr.photometricInterpretation).toBe('RGB');
    expect(ybr.photometricInterpretationStored).toBe('YBR_FULL');
    expect(Array.from(ybr.frames[0]!)).toEqual([254, 0, 0]);
  });

  it('unpacks 1-bit frames that do not start on a byte boundary', async () => {
    // 3×3, 2 frames = 18 bits, LSB first: frame 0 = 1,0,0,0,0,0,0,0,1 ; frame 1 = 0,1,0,0,0,0,0,1,1
    const bits = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1];
    const packed = new Uint8Array(4);
    bits.forEach((b, i) => (packed[i >> 3]! |= b << (i & 7)));
    const file = buildDicom({ elements: imagePixelElements({ rows: 3, columns: 3, bitsAllocated: 1, frames: 2 }), pixels: { native: packed, vr: 'OB' } });
    const image = await decodeDicom(file);
    expect(image.frames.map((f) => Array.from(f))).toEqual([bits.slice(0, 9), bits.slice(9)]);
  });

  it('reads Float Pixel Data as Float32Array', async () => {
    const values = Float32Array.from([0.5, -1.25, 3e6, 0]);
    const file = buildDicom({ elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 32 }), pixels: { native: bytesOf(values), vr: 'OF', tag: 0x7fe00008 } });
    const frame = (await decodeDicom(file)).frames[0]!;
    expect(frame).toBeInstanceOf(Float32Array);
    expect(Array.from(frame)).toEqual([0.5, -1.25, 3e6, 0]);
  });

  it('decodes files without preamble, with "DICM" at byte 0, and selected frames only', async () => {
    const values = Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const spec = { elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, frames: 2 }), pixels: { native: bytesOf(values) } };
    const full = buildDicom(spec);
    const withoutPreamble = full.subarray(128);
    const bare = full.subarray(132);
    for (const bytes of [full, withoutPreamble, bare]) {
      const image = await decodeDicom(bytes);
      expect(image.frames.map((f) => Array.from(f))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    }
    const second = await decodeDicom(full, { frames: [1] });
    expect(second.numberOfFrames).toBe(2);
    expect(second.decodedFrameIndices).toEqual([1]);
    expect(second.frames.map((f) => Array.from(f))).toEqual([[5, 6, 7, 8]]);
    expect(await codeOf(decodeDicom(full, { frames: [2] }))).toBe('DICOM_INVALID_ATTRIBUTE');
  });

  it('reads the VOI LUT sequence and palette colour LUTs', async () => {
    const voi: ElementSpec[][] = [[
      { tag: 0x00283002, vr: 'US', value: [3, 100, 16] },
      { tag: 0x00283006, vr: 'US', value: [0, 30000, 65535] },
    ]];
    const palette: ElementSpec[] = [
      { tag: 0x00281101, vr: 'US', value: [2, 0, 16] },
      { tag: 0x00281102, vr: 'US', value: [2, 0, 16] },
      { tag: 0x00281103, vr: 'US', value: [2, 0, 16] },
      { tag: 0x00281201, vr: 'OW', value: Uint16Array.from([0, 65535]) },
      { tag: 0x00281202, vr: 'OW', value: Uint16Array.from([100, 200]) },
      { tag: 0x00281203, vr: 'OW', value: Uint16Array.from([65535, 0]) },
    ];
    const mono = await decodeDicom(
      buildDicom({ elements: [...imagePixelElements({ rows: 1, columns: 2, bitsAllocated: 8 }), { tag: 0x00283010, vr: 'SQ', value: voi }], pixels: { native: Uint8Array.from([1, 2]), vr: 'OB' } }),
    );
    expect(mono.voiLut).toEqual({ firstValueMapped: 100, bitsPerEntry: 16, data: Uint16Array.from([0, 30000, 65535]) });
    expect(mono.tags['00283010']).toBe('<sequence of 1 item(s)>');
    const pal = await decodeDicom(
      buildDicom({ elements: [...imagePixelElements({ rows: 1, columns: 2, bitsAllocated: 8, photometric: 'PALETTE COLOR' }), ...palette], pixels: { native: Uint8Array.from([0, 1]), vr: 'OB' } }),
    );
    expect(pal.photometricInterpretation).toBe('PALETTE COLOR');
    expect(Array.from(pal.frames[0]!)).toEqual([0, 1]);
    expect(pal.palette?.green).toEqual({ firstValueMapped: 0, bitsPerEntry: 16, data: Uint16Array.from([100, 200]) });
    expect(Array.from(pal.palette!.blue.data)).toEqual([65535, 0]);
  });

  it('splits encapsulated RLE frames with a basic offset table, without one, and across fragments', async () => {
    const f0 = Uint16Array.from([1, 2, 3, 4, 5, 6]);
    const f1 = Uint16Array.from([60000, 0, 60000, 0, 7, 7]);
    const e0 = encodeRleFrame(f0, 2, 3, 1);
    const e1 = encodeRleFrame(f1, 2, 3, 1);
    const elements = imagePixelElements({ rows: 2, columns: 3, bitsAllocated: 16, frames: 2 });
    const expected = [Array.from(f0), Array.from(f1)];
    const noTable = buildDicom({ transferSyntaxUID: RLE_LOSSLESS, elements, pixels: { fragments: [e0, e1] } });
    expect((await decodeDicom(noTable)).frames.map((f) => Array.from(f))).toEqual(expected);
    // Frame 0 in two fragments (split after the header): the table says where frame 1 starts.
    const a = e0.subarray(0, 64);
    const b = e0.subarray(64);
    const withTable = buildDicom({ transferSyntaxUID: RLE_LOSSLESS, elements, pixels: { fragments: [a, b, e1], basicOffsetTable: [0, 8 + a.length + 8 + b.length + (b.length % 2)] } });
    expect((await decodeDicom(withTable)).frames.map((f) => Array.from(f))).toEqual(expected);
    // No table, 3 fragments for 2 frames: frame starts are found by the RLE header.
    const byMarker = buildDicom({ transferSyntaxUID: RLE_LOSSLESS, elements, pixels: { fragments: [a, b, e1] } });
    expect((await decodeDicom(byMarker)).frames.map((f) => Array.from(f))).toEqual(expected);
  });

  it('refuses oversized images before allocating and reports typed errors for broken input', async () => {
    const huge = buildDicom({ elements: imagePixelElements({ rows: 65535, columns: 65535, bitsAllocated: 16, frames: 1000 }), pixels: { native: new Uint8Array(8) } });
    expect(await codeOf(decodeDicom(huge))).toBe('INPUT_TOO_LARGE');
    const small = buildDicom({ elements: imagePixelElements({ rows: 64, columns: 64, bitsAllocated: 16 }), pixels: { native: new Uint8Array(64 * 64 * 2) } });
    expect(await codeOf(decodeDicom(small, { maxDecodedBytes: 1000 }))).toBe('INPUT_TOO_LARGE');
    const short = buildDicom({ elements: imagePixelElements({ rows: 4, columns: 4, bitsAllocated: 16 }), pixels: { native: new Uint8Array(10) } });
    expect(await codeOf(decodeDicom(short))).toBe('DICOM_PIXEL_LENGTH_MISMATCH');
    expect(await codeOf(decodeDicom(short.subarray(0, short.length - 4)))).toBe('DICOM_TRUNCATED');
    const noPixels = buildDicom({ elements: imagePixelElements({ rows: 4, columns: 4, bitsAllocated: 16 }) });
    expect(await codeOf(decodeDicom(noPixels))).toBe('DICOM_NO_PIXEL_DATA');
    const unknownSyntax = buildDicom({ transferSyntaxUID: '1.2.3.999', elements: imagePixelElements({ rows: 1, columns: 1, bitsAllocated: 8 }), pixels: { native: new Uint8Array(2), vr: 'OB' } });
    expect(await codeOf(decodeDicom(unknownSyntax))).toBe('DICOM_UNSUPPORTED_TRANSFER_SYNTAX');
    expect(await codeOf(decodeDicom(new TextEncoder().encode('this is a text file, not an image at all')))).toBe('DICOM_NOT_DICOM');
    expect(await codeOf(decodeDicom(new Uint8Array(3)))).toBe('DICOM_NOT_DICOM');
    const badBits = buildDicom({ elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 12 }), pixels: { native: new Uint8Array(8) } });
    expect(await codeOf(decodeDicom(badBits))).toBe('DICOM_INVALID_ATTRIBUTE');
  });

  it('never modifies its input', async () => {
    const e0 = encodeRleFrame(Uint8Array.from([9, 9, 9, 1]), 2, 2, 1);
    const file = buildDicom({ transferSyntaxUID: RLE_LOSSLESS, elements: imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8 }), pixels: { fragments: [e0] } });
    const before = file.slice();
    const image = await decodeDicom(file);
    expect(Array.from(image.frames[0]!)).toEqual([9, 9, 9, 1]);
    image.frames[0]![0] = 77;
    expect(file).toEqual(before);
  });
});
