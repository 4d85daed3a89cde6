/**
 * The OOD benchmark of a model's card detector: in-distribution held-out images against
 * categories of out-of-distribution images — folders the user names (one category per folder:
 * real radiographs, CT/MR slices, photographs, …) and near-OOD variants made in memory from the
 * first N in-distribution images (near-ood.ts). Per category: AUROC (category vs held-out
 * scores) and FPR at 95 % TPR (share of the category accepted where 95 % of the held-out images
 * are) with percentile-bootstrap 95 % CIs, and the share flagged at the card's threshold.
 * Scores are the detector's pixel score only (`ood.distance`): the DICOM header checks are left
 * out, so a CT is counted as caught only when its pixels give it away.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bootstrapAucCi, rocAuc, sortedQuantile } from '../../../core/metrics/metrics.ts';
import type { DecodedImage } from '../../../core/dicom/decoded-image.ts';
import { decodeImageFile } from '../../../core/image/decode-image-file.ts';
import type { LoadedModel } from '../../../core/model/load-model.ts';
import type { OodBenchmark, OodCategoryResult } from '../../../core/model/ood-schema.ts';
import { predictImage } from '../../../core/model/predict.ts';
import { seededRandom } from '../../../core/random/seeded-random.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { NEAR_TRANSFORMS, nearTransform } from './near-ood.ts';

export const OOD_BENCHMARK_RESAMPLES = 1000;

/** The detector's pixel score of one frame. */
async function score(loaded: LoadedModel, image: DecodedImage): Promise<number> {
  return (await predictImage(loaded, image)).ood.distance;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else if (!/\.(csv|txt|md|json)$/i.test(name)) out.push(path);
  }
  return out;
}

/** Share of `ood` accepted (score ≤ the threshold that accepts 95 % of `id`). */
function fprAt95(id: readonly number[], ood: readonly number[]): number {
  const t = sortedQuantile([...id].sort((a, b) => a - b), 0.95);
  return ood.filter((s) => s <= t).length / ood.length;
}

function fprCi(id: readonly number[], ood: readonly number[], resamples: number, seed: number): [number, number] {
  const random = seededRandom(seed);
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const a = id.map(() => id[Math.floor(random() * id.length)] as number);
    const b = ood.map(() => ood[Math.floor(random() * ood.length)] as number);
    values[r] = fprAt95(a, b);
  }
  values.sort();
  return [sortedQuantile(values, 0.025), sortedQuantile(values, 0.975)];
}

/** One category's figures against the in-distribution scores. */
export function categoryResult(id: readonly number[], ood: readonly number[], threshold: number, resamples: number, seed: number): OodCategoryResult {
  const scores = [...id, ...ood];
  const labels = [...id.map(() => 0), ...ood.map(() => 1)];
  return {
    n: ood.length,
    auroc: rocAuc(scores, labels),
    aurocCi95: bootstrapAucCi(scores, labels, { iterations: resamples, seed }),
    fprAt95Tpr: fprAt95(id, ood),
    fprAt95TprCi95: fprCi(id, ood, resamples, seed + 1),
    flagged: ood.filter((s) => s > threshold).length / ood.length,
  };
}

export interface OodBenchmarkOptions {
  /** In-distribution images the card was NOT fitted or thresholded on. */
  inDistribution: { source: string; files: readonly string[] };
  /** Folders of OOD images, one category each (named after the folder). */
  folders?: readonly string[];
  /** Near-OOD variants of the first `near` in-distribution images (0: none). */
  near?: number;
  resamples?: number;
  seed?: number;
  onProgress?: (what: string) => void;
}

/** Runs the benchmark. Unreadable files in an OOD folder are skipped (they are not images the viewer could score). */
export async function runOodBenchmark(loaded: LoadedModel, options: OodBenchmarkOptions): Promise<OodBenchmark> {
  const resamples = options.resamples ?? OOD_BENCHMARK_RESAMPLES;
  const seed = options.seed ?? 0;
  const threshold = loaded.card.ood.threshold;
  const near = options.near ?? 0;
  const idScores: number[] = [];
  const nearScores = new Map<string, number[]>(NEAR_TRANSFORMS.map((t) => [`near-${t}`, []]));
  for (const [k, file] of options.inDistribution.files.entries()) {
    const image = await decodeImageFile(new Uint8Array(await readFile(file)));
    idScores.push(await score(loaded, image));
    if (k < near) for (const t of NEAR_TRANSFORMS) nearScores.get(`near-${t}`)?.push(await score(loaded, nearTransform(image, t, k)));
  }
  if (idScores.length < 2) throw new RadLocalError('DATASET_INVALID', `Expected at least 2 in-distribution images for the OOD benchmark, but got ${idScores.length}.`);
  options.onProgress?.(`in-distribution: ${idScores.length} images${near > 0 ? `, near-OOD: ${Math.min(near, idScores.length)} × ${NEAR_TRANSFORMS.length} variants` : ''}`);
  const categories: Record<string, OodCategoryResult> = {};
  let c = 0;
  const add = (name: string, scores: readonly number[]) => {
    if (scores.length > 0) categories[name] = categoryResult(idScores, scores, threshold, resamples, seed + 10 * c++);
  };
  if (near > 0) {
    for (const [name, scores] of nearScores) add(name, scores);
    add('near (all)', [...nearScores.values()].flat());
  }
  for (const folder of options.folders ?? []) {
    const scores: number[] = [];
    for (const file of await filesUnder(folder)) {
      try {
        scores.push(await score(loaded, await decodeImageFile(new Uint8Array(await readFile(file)))));
      } catch {
        // not an image the pipeline can read (no pixel data, broken on purpose): not part of the category
      }
    }
    options.onProgress?.(`${basename(folder)}: ${scores.length} images`);
    add(basename(folder), scores);
  }
  return {
    inDistribution: { source: options.inDistribution.source, n: idScores.length, flagged: idScores.filter((s) => s > threshold).length / idScores.length },
    bootstrapResamples: resamples,
    categories,
  };
}
