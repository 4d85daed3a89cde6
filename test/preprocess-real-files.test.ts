/**
 * core/preprocess on real DICOM files from pydicom's test set, against values computed here
 * straight from the standard's formulas (PS3.3 C.11.1 / C.11.2.1.2) and from a sort.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import type { DecodedImage } from '../core/dicom/decoded-image.ts';
import { greyFrame } from '../core/preprocess/grey-frame.ts';
import { DEFAULT_PREPROCESS_PARAMS } from '../core/preprocess/params.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { pydicomDir } from './fixtures/external-fixtures.ts';

const load = async (name: string): Promise<DecodedImage> => decodeDicom(new Uint8Array(readFileSync(join(pydicomDir(), name))));
const P = DEFAULT_PREPROCESS_PARAMS;

/** PS3.3 C.11.2.1.2.1 LINEAR, ymin 0, ymax 1 — written out independently of core/. */
function linearWindow(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 1;
  return (x - (c - 0.5)) / (w - 1) + 0.5;
}

describe('preprocessing real files', () => {
  let mr: DecodedImage;
  beforeAll(async () => {
    mr = await load('MR_small.dcm');
  });

  it('MR_small: file window 600/1600 (LINEAR) matches the standard formula pixel by pixel', () => {
    const g = greyFrame(mr, 0, P);
    expect(g.window).toMatchObject({ center: 600, width: 1600, source: 'file-window', voiFunction: 'LINEAR' });
    const frame = mr.frames[0] as Int16Array;
    frame.forEach((stored, i) => expect(g.data[i]).toBe(Math.fround(linearWindow(stored * mr.rescaleSlope + mr.rescaleIntercept, 600, 1600))));
  });

  it('every lossless encoding of MR_small gives the identical model input', async () => {
    const reference = preprocessFrame(mr, 0, P).data;
    for (const name of ['MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm', 'MR_small_implicit.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_padded.dcm']) {
      const data = preprocessFrame(await load(name), 0, P).data;
      expect(Buffer.from(data.buffer).equals(Buffer.from(reference.buffer)), name).toBe(true);
    }
  });

  it('CT_small (no window tags): percentile window equals the sorted-value ranks, in HU', async () => {
    const ct = await load('CT_small.dcm');
    const g = greyFrame(ct, 0, P);
    const sorted = Array.from(ct.frames[0] as Int16Array).sort((a, b) => a - b);
    const n = sorted.length;
    const lo = (sorted[Math.ceil(0.005 * n) - 1] as number) - 1024;
    const hi = (sorted[Math.ceil(0.995 * n) - 1] as number) - 1024;
    expect(g.window).toEqual({ center: (lo + hi) / 2, width: hi - lo, source: 'percentile', voiFunction: 'LINEAR_EXACT' });
  });

  it('every pydicom file that decodes preprocesses to finite values in [0, 1] at 64²', async () => {
    let count = 0;
    for (const name of readdirSync(pydicomDir()).filter((f) => f.endsWith('.dcm'))) {
      let image: DecodedImage;
      try {
        image = await load(name);
      } catch {
        continue; // decoder errors are the decoder's tests' business
      }
      const input = preprocessFrame(image, 0, { ...P, height: 64, width: 64 });
      for (const v of input.data) {
        expect(Number.isFinite(v), name).toBe(true);
        expect(v >= 0 && v <= 1, `${name}: ${v}`).toBe(true);
      }
      count++;
    }
    expect(count).toBeGreaterThan(40);
  });
});
