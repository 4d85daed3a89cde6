import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';
import { daikonDir, pydicomDir } from '../../../../test/fixtures/external-fixtures.ts';
import { makeThumbnail } from './make-thumbnail.ts';
import { HEAD_BYTES, headerOf, readDicomHeader } from './read-header.ts';

const files = [
  join(pydicomDir(), 'CT_small.dcm'),
  join(pydicomDir(), 'MR_small.dcm'),
  join(pydicomDir(), 'JPEG2000.dcm'),
  join(daikonDir(), 'explicit_little.dcm'),
  join(pydicomDir(), 'SC_rgb_rle.dcm'),
];

describe('readDicomHeader', () => {
  it.each(files)('reads from the first 64 kB the same header as a full decode of %s', async (path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const fromHead = readDicomHeader(bytes.subarray(0, HEAD_BYTES));
    const full = headerOf(await decodeImageFile(bytes, { frames: [] }));
    expect(fromHead).toBeDefined();
    // The codec may report RGB for a YBR file; everything else matches attribute by attribute.
    // Elements after the pixel data (trailing padding) are not in the head.
    const { photometricInterpretation: _a, tags: headTags, ...head } = fromHead as NonNullable<typeof fromHead>;
    const { photometricInterpretation: _b, tags: fullTags, ...reference } = full;
    expect(head).toEqual(reference);
    // The pixel data's own text differs for encapsulated data (the head cannot count fragments).
    expect(headTags).toEqual(Object.fromEntries(Object.entries({ ...fullTags, '7fe00010': headTags['7fe00010'] }).filter(([tag]) => tag <= '7fe00010')));
  });

  it('answers undefined (read the whole file) for a head cut before the pixel data, a file without preamble, or a PNG', () => {
    const ct = new Uint8Array(readFileSync(join(pydicomDir(), 'CT_small.dcm')));
    expect(readDicomHeader(ct.subarray(0, 600))).toBeUndefined();
    expect(readDicomHeader(ct.subarray(132))).toBeUndefined();
    expect(readDicomHeader(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined();
  });
});

describe('makeThumbnail', () => {
  it('box-averages to at most 64 px on the long side in the display window, MONOCHROME1 inverted', async () => {
    // CT_small: 128², no window in the file → the value range of the averaged pixels.
    const ct = await decodeImageFile(new Uint8Array(readFileSync(join(pydicomDir(), 'CT_small.dcm'))));
    const thumb = makeThumbnail(ct, 0);
    expect([thumb.width, thumb.height]).toEqual([64, 64]);
    const frame = ct.frames[0] as Int16Array;
    const blocks = Array.from({ length: 64 * 64 }, (_, i) => {
      const [y, x] = [Math.floor(i / 64) * 2, (i % 64) * 2];
      return ((frame[y * 128 + x] as number) + (frame[y * 128 + x + 1] as number) + (frame[(y + 1) * 128 + x] as number) + (frame[(y + 1) * 128 + x + 1] as number)) / 4;
    });
    const lo = Math.min(...blocks);
    const hi = Math.max(...blocks);
    expect(Array.from(thumb.grey.slice(0, 200))).toEqual(blocks.slice(0, 200).map((v) => Math.round((255 * (v - lo)) / (hi - lo))));
    const inverted = makeThumbnail({ ...ct, photometricInterpretation: 'MONOCHROME1' }, 0);
    expect(inverted.grey[5]).toBe(255 - (thumb.grey[5] as number));
  });

  it("applies the file's first window (MR_small: centre 600, width 1600)", async () => {
    const mr = await decodeImageFile(new Uint8Array(readFileSync(join(pydicomDir(), 'MR_small.dcm'))));
    const thumb = makeThumbnail(mr, 0);
    const frame = mr.frames[0] as Int16Array;
    const expected = Array.from(frame.slice(0, 64), (v) => Math.round(255 * Math.min(1, Math.max(0, (v * mr.rescaleSlope + mr.rescaleIntercept - (600 - 800)) / 1600))));
    expect(Array.from(thumb.grey.slice(0, 64))).toEqual(expected);
  });
});
