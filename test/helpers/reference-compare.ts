/**
 * Comparing RadLocal's decode with a reference toolkit's (./reference-tools.ts), shared by the
 * oracle test, the differential fuzz test and `npm run bench -- fuzz`.
 */
import { decodeDicom } from '../../core/dicom/decode-dicom.ts';
import type { DecodedImage } from '../../core/dicom/decoded-image.ts';
import { RadLocalError } from '../../core/errors/radlocal-error.ts';
import type { ReferenceResult } from './reference-tools.ts';

/** An image, or the typed error code (or the reference's failure) instead. */
export type Outcome = { image: DecodedImage } | { code: string };

/** RadLocal's decode; only RadLocalErrors are caught (anything else is a crash and propagates). */
export async function radlocalOutcome(bytes: Uint8Array, maxDecodedBytes?: number): Promise<Outcome> {
  try {
    return { image: await decodeDicom(bytes, maxDecodedBytes === undefined ? {} : { maxDecodedBytes }) };
  } catch (error) {
    if (error instanceof RadLocalError) return { code: error.code };
    throw error;
  }
}

/** The reference's native output read back (it is uncompressed explicit VR little endian). */
export async function referenceOutcome(result: ReferenceResult): Promise<Outcome> {
  if (!result.ok) return { code: `reference failed (${result.tool}: ${result.message})` };
  const read = await radlocalOutcome(result.bytes);
  return 'code' in read ? { code: `reference output unreadable (${read.code})` } : read;
}

export interface Comparison {
  identical: boolean;
  samples: number;
  differing: number;
  maxDifference: number;
  detail: string;
}

/** Compares every frame sample by sample (values, not dtypes: the reference may widen 8-bit output). */
export function compareImages(ours: DecodedImage, reference: DecodedImage): Comparison {
  const shape = (i: DecodedImage): string => `${i.columns}×${i.rows}×${i.samplesPerPixel}, ${i.frames.length} frame(s), ${i.photometricInterpretation}`;
  if (shape(ours) !== shape(reference)) return { identical: false, samples: 0, differing: -1, maxDifference: Infinity, detail: `shape ${shape(ours)} vs reference ${shape(reference)}` };
  let differing = 0;
  let maxDifference = 0;
  let samples = 0;
  let first = '';
  ours.frames.forEach((frame, f) => {
    const ref = reference.frames[f]!;
    samples += frame.length;
    for (let i = 0; i < frame.length; i++) {
      const d = Math.abs((frame[i] as number) - (ref[i] as number));
      if (d !== 0) {
        if (differing === 0) first = `frame ${f} sample ${i}: ${frame[i]} vs ${ref[i]}`;
        differing++;
        if (d > maxDifference) maxDifference = d;
      }
    }
  });
  return { identical: differing === 0, samples, differing, maxDifference, detail: differing ? `${differing}/${samples} samples differ (max ${maxDifference}); first at ${first}` : 'identical' };
}
