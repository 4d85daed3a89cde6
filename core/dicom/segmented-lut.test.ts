import { describe, expect, it } from 'vitest';
import { buildDicom, imagePixelElements, type ElementSpec } from '../../test/dicom-test-files.ts';
import { codeOf } from '../../test/typed-error-code.ts';
import { decodeDicom } from './decode-dicom.ts';
import { expandSegmentedLut } from './segmented-lut.ts';

describe('segmented palette colour LUTs (PS3.3 C.7.9.2)', () => {
  it('expands discrete, linear and indirect segments (values worked by hand)', () => {
    // discrete [0, 10]; linear to 40 in 3 steps → 20, 30, 40; linear to 45 in 2 → 42.5→42 (half to even), 45;
    // indirect: replay 2 segments from byte 0 → 0, 10, then 20, 30, 40 (linear from the last entry, 10).
    const words = Uint16Array.from([0, 2, 0, 10, 1, 3, 40, 1, 2, 45, 2, 2, 0, 0]);
    expect(Array.from(expandSegmentedLut(words, 12))).toEqual([0, 10, 20, 30, 40, 42, 45, 0, 10, 20, 30, 40]);
    // A ramp over 65536 entries from two segments, as real palettes (e.g. "Hot Iron") are stored.
    const ramp = expandSegmentedLut(Uint16Array.from([0, 1, 0, 1, 65535, 65535]), 65536);
    expect([ramp[0], ramp[1], ramp[32768], ramp[65535]]).toEqual([0, 1, 32768, 65535]);
  });

  it('refuses malformed tables with a typed error (unknown opcode, too many entries, nested indirection, runs past the end)', async () => {
    for (const [words, entries] of [
      [[3, 1, 0], 1],
      [[0, 3, 1, 2, 3], 2],
      [[0, 1, 5, 2, 1, 6, 0], 4], // an indirect segment replaying itself
      [[0, 4, 1, 2], 4],
      [[1, 2, 9], 2],
      [[0, 1, 7], 2],
    ] as const) {
      expect(await codeOf(Promise.resolve().then(() => expandSegmentedLut(Uint16Array.from(words), entries))), JSON.stringify(words)).toBe('DICOM_INVALID_ATTRIBUTE');
    }
  });

  it('decodeDicom reads Segmented Red/Green/Blue Palette Color LUT Data when the plain LUT data is absent', async () => {
    const palette: ElementSpec[] = [
      { tag: 0x00281101, vr: 'US', value: [4, 0, 16] },
      { tag: 0x00281102, vr: 'US', value: [4, 0, 16] },
      { tag: 0x00281103, vr: 'US', value: [4, 0, 16] },
      { tag: 0x00281221, vr: 'OW', value: Uint16Array.from([0, 1, 0, 1, 3, 65535]) },
      { tag: 0x00281222, vr: 'OW', value: Uint16Array.from([0, 4, 9, 8, 7, 6]) },
      { tag: 0x00281223, vr: 'OW', value: Uint16Array.from([0, 2, 100, 100, 1, 2, 0]) },
    ];
    const image = await decodeDicom(buildDicom({ elements: [...imagePixelElements({ rows: 1, columns: 4, bitsAllocated: 8, photometric: 'PALETTE COLOR' }), ...palette], pixels: { native: Uint8Array.from([0, 1, 2, 3]), vr: 'OB' } }));
    expect(Array.from(image.palette!.red.data)).toEqual([0, 21845, 43690, 65535]);
    expect(Array.from(image.palette!.green.data)).toEqual([9, 8, 7, 6]);
    expect(Array.from(image.palette!.blue.data)).toEqual([100, 100, 50, 0]);
    const broken = palette.map((e) => (e.tag === 0x00281222 ? { ...e, value: Uint16Array.from([0, 9, 1]) } : e));
    expect(await codeOf(decodeDicom(buildDicom({ elements: [...imagePixelElements({ rows: 1, columns: 4, bitsAllocated: 8, photometric: 'PALETTE COLOR' }), ...broken], pixels: { native: Uint8Array.from([0, 1, 2, 3]), vr: 'OB' } })))).toBe(
      'DICOM_INVALID_ATTRIBUTE',
    );
  });
});
