import { describe, expect, it } from 'vitest';
import { encodeHtj2k, encodeJpegLs } from '../../test/dicom-encoders.ts';
import { readJ2kHeader, readJpegHeader } from './codestream-headers.ts';

const pixels = Uint16Array.from({ length: 40 * 24 }, (_, i) => (i * 7) % 4096);

describe('codestream headers', () => {
  it('reads the JPEG-LS SOF55 and the J2K SIZ sizes', async () => {
    expect(readJpegHeader(await encodeJpegLs({ pixels, width: 40, height: 24, components: 1 }))).toEqual({ rows: 24, columns: 40, components: 1, precision: 16, marker: 0xfff7 });
    expect(readJ2kHeader(await encodeHtj2k({ pixels, width: 40, height: 24, components: 1 }))).toEqual({ rows: 24, columns: 40, components: 1, precision: 16, marker: 0 });
  });

  it('flags J2K main headers the codecs mishandle (found by fuzzing: OpenJPH hangs on YRsiz 129)', async () => {
    const stream = await encodeHtj2k({ pixels, width: 40, height: 24, components: 1 });
    const subsampled = stream.slice();
    subsampled[44] = 129; // YRsiz of component 0 (SOC 2 + SIZ fields 40 + Ssiz + XRsiz)
    expect(readJ2kHeader(subsampled)?.unsupported).toBe('subsampled components are not supported');
    const noTileHeight = stream.slice();
    new DataView(noTileHeight.buffer).setUint32(28, 0); // YTsiz = 0
    expect(readJ2kHeader(noTileHeight)?.unsupported).toBe('the image and tile grid are inconsistent');
    const tinyTiles = stream.slice();
    new DataView(tinyTiles.buffer).setUint32(24, 1); // XTsiz = 1, YTsiz = 1 → 960 tiles: allowed
    new DataView(tinyTiles.buffer).setUint32(28, 1);
    expect(readJ2kHeader(tinyTiles)?.unsupported).toBeUndefined();
    const cod = stream.findIndex((v, i) => v === 0xff && stream[i + 1] === 0x52);
    const levels = stream.slice();
    levels[cod + 9] = 40;
    expect(readJ2kHeader(levels)?.unsupported).toBe('the coding style (COD) values are out of range');
  });
});
