/**
 * Scores a site's labelled images for validation with bounded memory: a few images in
 * flight (decode → infer, the decoded pixels transferred between the workers and dropped),
 * and per image only what validation needs is kept — its key, patient, truth, the model's
 * logits and the OOD verdict. Cancelling stops taking new images.
 */
import { toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import type { SiteCase } from '../../../../core/site/recalibrate-site.ts';
import type { SiteImage } from './read-site-folder.ts';

/** Scores one image file through the viewer's decode and inference workers. */
export type ScoreFile = (file: File) => Promise<Prediction>;

export interface SiteRun {
  cases: SiteCase[];
  failed: { key: string; error: SerializedError }[];
  cancelled: boolean;
}

const IN_FLIGHT = 3;

export async function runSiteCases(
  images: readonly SiteImage[],
  labels: readonly string[],
  score: ScoreFile,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<SiteRun> {
  const cases: SiteCase[] = [];
  const failed: SiteRun['failed'] = [];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < images.length && !options.signal?.aborted) {
      const image = images[next++] as SiteImage;
      try {
        const p = await score(image.file);
        cases.push({
          key: image.key,
          patientId: image.patientId,
          logits: Float32Array.from(labels, (l) => p.logits[l] as number),
          truth: image.truth,
          oodFlagged: p.ood.flagged,
        });
      } catch (error) {
        failed.push({ key: image.key, error: toSerializedError(error) });
      }
      options.onProgress?.(++done, images.length);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return { cases, failed, cancelled: options.signal?.aborted === true };
}
