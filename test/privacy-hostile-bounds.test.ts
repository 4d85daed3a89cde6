/**
 * Decompression bounds, in Node through core's decoder (the browser worker runs the same code
 * with the default 1 GiB limit; a bomb that large is too heavy for the e2e suite on this machine):
 * a deflate bomb stops inflating at the limit with INPUT_TOO_LARGE, while the same file inflates
 * normally under a limit it fits.
 */
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import { deflateBombDicom, hugeDimensionsDicom, jpegBombDicom } from './fixtures/hostile/hostile-dicom.ts';
import { expectTypedError } from './typed-error-code.ts';

const MiB = 1024 * 1024;

describe('decompression bounds', () => {
  it('refuses a deflate bomb (64 MiB from ~64 kB) at an 8 MiB limit', async () => {
    const bomb = deflateBombDicom(64 * MiB);
    expect(bomb.length).toBeLessThan(256 * 1024);
    const error = await expectTypedError(decodeDicom(bomb, { maxDecodedBytes: 8 * MiB }), 'INPUT_TOO_LARGE');
    expect(error.message).toBe(`The deflated data set inflates to more than the ${8 * MiB}-byte limit.`);
  });

  it('decodes the same construction when it fits the limit (the bomb is a valid file)', async () => {
    const image = await decodeDicom(deflateBombDicom(1 * MiB), { maxDecodedBytes: 8 * MiB });
    expect([image.rows, image.columns, image.numberOfFrames]).toEqual([8, 8, 1]);
  });

  it('refuses declared sizes and JPEG headers beyond the image before decoding', async () => {
    await expectTypedError(decodeDicom(hugeDimensionsDicom()), 'INPUT_TOO_LARGE');
    await expectTypedError(decodeDicom(jpegBombDicom(0xc0)), 'DICOM_DECODE_FAILED');
  });
});
