/**
 * `npm run bench -- ood [--model DIR] [--train DIR] [--heldout DIR] [--near N] [--acceptance A]
 * [--resamples R] [--cache FILE] [--only REGEX] [--detail]`: chooses the out-of-distribution
 * detector by measurement (the card's detector is "multi-layer Mahalanobis mean+std L2 +
 * top/bottom halves, sum"). Also: `--write-sets DIR` writes the reference/photo categories as
 * folders for `radlocal evaluate --ood` / `radlocal refit-card --ood`; `--cost [--near REPS]`
 * times what the OOD check adds per image (WASM, warm).
 *
 * One forward pass per image through a multi-output model over the classifier's weights reads
 * the logits, the pooled embedding and per-channel mean/std of the tapped activations. Candidate
 * detectors (bench/ood/detectors.ts) are fitted on the TRAINING split of the model's training
 * data (the same patient split as `radlocal train`), thresholded on its VALIDATION split at the
 * acceptance A (share of validation phantoms accepted), and evaluated on held-out phantoms from
 * another seed (false flags) and on the categories of bench/ood/sets.ts (near-OOD, real
 * radiographs, far-OOD DICOM and PNG, photographs). Per category: AUROC (held-out phantoms vs
 * the category) and FPR at 95 % TPR (share of the category accepted when 95 % of held-out
 * phantoms are accepted), each with a percentile-bootstrap 95 % CI, and the share flagged at
 * the operating threshold. Prints JSON.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DecodedImage } from '../core/dicom/decoded-image.ts';
import { decodeImageFile } from '../core/image/decode-image-file.ts';
import { bootstrapAucCi, rocAuc, sortedQuantile } from '../core/metrics/metrics.ts';
import { FEATURES_OUTPUT, layersInferenceGraph, LOGITS_OUTPUT } from '../core/model/inference-graph.ts';
import { assessOod } from '../core/model/ood.ts';
import { channelMoments, resolutionTapLayers } from '../core/model/ood-features.ts';
import { forward } from '../core/model/predict.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { seededRandom } from '../core/random/seeded-random.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { combineZ, fitDiagonal, fitKnn, fitMahalanobis, fitRelativeMahalanobis, l2normalise, type Scorer, type Vec } from './ood/detectors.ts';
import { nearImages, photoImages, referenceImages, writeSetFolders, type BenchImage } from './ood/sets.ts';

interface Features {
  /** Per tap: channel means then standard deviations, length 2C. */
  taps: number[][];
  /** Last tap average-pooled on a 2×2 grid (spatial layout), length 4C. */
  grid: number[];
  logits: number[];
}

interface Item {
  category: string;
  name: string;
  features: Features;
  /** Finding pattern (training images only), e.g. "0100". */
  pattern?: string;
}

const BATCH = 16;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Extracts features of preprocessed inputs [n, H, W, 1] in one forward pass per batch. */
function featureExtractor(model: tfl.LayersModel, taps: string[], logitsLayer: string) {
  const outputs = [...taps.map((t) => model.getLayer(t).output as tfl.SymbolicTensor), model.getLayer(logitsLayer).output as tfl.SymbolicTensor];
  const multi = tfl.model({ inputs: model.inputs, outputs });
  const [, H, W] = model.inputs[0]!.shape as number[];
  return async (inputs: Float32Array[]): Promise<Features[]> => {
    const n = inputs.length;
    const flat = new Float32Array(n * H! * W!);
    inputs.forEach((x, i) => flat.set(x, i * H! * W!));
    const tensors = tf.tidy(() => {
      const out = multi.predict(tf.tensor4d(flat, [n, H!, W!, 1])) as tf.Tensor[];
      const last = out[taps.length - 1] as tf.Tensor4D;
      const [, h, w] = last.shape;
      const grid = tf.reshape(tf.avgPool(last, [h / 2, w / 2], [h / 2, w / 2], 'valid'), [n, -1]);
      return [...out.slice(0, taps.length).map((t) => channelMoments(t as tf.Tensor4D)), grid, out[taps.length] as tf.Tensor];
    });
    const arrays = (await Promise.all(tensors.map((t) => t.array()))) as number[][][];
    tf.dispose(tensors);
    return Array.from({ length: n }, (_, i) => ({
      taps: arrays.slice(0, taps.length).map((a) => a[i] as number[]),
      grid: arrays[taps.length]![i] as number[],
      logits: arrays[taps.length + 1]![i] as number[],
    }));
  };
}

async function readImage(path: string): Promise<DecodedImage> {
  return decodeImageFile(new Uint8Array(readFileSync(path)));
}

/** Bootstrap percentile CI of a statistic of (in-distribution, OOD) scores, resampling each group with replacement. */
function bootstrap(id: number[], ood: number[], stat: (a: number[], b: number[]) => number, resamples: number, seed: number): [number, number] {
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const a = id.map(() => id[Math.floor(random() * id.length)] as number);
    const b = ood.map(() => ood[Math.floor(random() * ood.length)] as number);
    values.push(stat(a, b));
  }
  values.sort((x, y) => x - y);
  return [sortedQuantile(values, 0.025), sortedQuantile(values, 0.975)];
}

function auroc(id: number[], ood: number[]): number {
  return rocAuc([...id, ...ood], [...id.map(() => 0), ...ood.map(() => 1)]);
}

/** Share of OOD scores accepted (≤ the threshold accepting 95 % of in-distribution scores). */
function fprAt95(id: number[], ood: number[]): number {
  const t = sortedQuantile([...id].sort((a, b) => a - b), 0.95);
  return ood.filter((s) => s <= t).length / ood.length;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/**
 * `--cost`: what the OOD check adds per image, warm, on the WASM backend (the viewer's): one
 * forward pass of one image with and without the OOD taps (interleaved, `reps` each), and the
 * score + verdict in JS. Medians in ms.
 */
async function oodCost(modelDir: string, reps: number): Promise<void> {
  await selectBackend('wasm');
  const loaded = await loadModelFolder(modelDir);
  const model = loaded.model;
  if (!model) throw new Error(`${modelDir} is not a layers model.`);
  const { featureLayer, logitsLayer } = loaded.card.architecture;
  const plain = layersInferenceGraph(model, { [FEATURES_OUTPUT]: featureLayer, [LOGITS_OUTPUT]: logitsLayer });
  const { height, width } = loaded.card.input;
  const x = Float32Array.from({ length: height * width }, (_, i) => Math.sin(i / 97));
  const time = async (f: () => Promise<unknown> | unknown): Promise<number> => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) {
    await forward(plain, x, 1);
    await forward(loaded.graph, x, 1);
  }
  const without: number[] = [];
  const withTaps: number[] = [];
  const scoring: number[] = [];
  for (let i = 0; i < reps; i++) {
    without.push(await time(() => forward(plain, x, 1)));
    let features: Float32Array[] = [];
    withTaps.push(await time(async () => (features = (await forward(loaded.graph, x, 1)).oodFeatures[0] as Float32Array[])));
    scoring.push(await time(() => assessOod(features, loaded.card.ood)));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
  const m = { forwardWithoutOodMs: median(without), forwardWithOodTapsMs: median(withTaps), oodScoreMs: median(scoring) };
  process.stdout.write(
    `${JSON.stringify({ bench: 'ood-cost', backend: 'wasm', reps, ...Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v, 2)])), oodAddsMs: round(m.forwardWithOodTapsMs - m.forwardWithoutOodMs + m.oodScoreMs, 2), loadAverage1m: round(loadavg()[0] ?? 0, 2) })}\n`,
  );
  loaded.dispose();
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string', default: 'models/chest-phantom' },
      train: { type: 'string', default: 'datasets/generated/chest-phantom-train' },
      heldout: { type: 'string', default: 'datasets/generated/chest-phantom-heldout' },
      near: { type: 'string', default: '100' },
      acceptance: { type: 'string', default: '0.97' },
      resamples: { type: 'string', default: '1000' },
      cache: { type: 'string' },
      detail: { type: 'boolean', default: false },
      only: { type: 'string' },
      'write-sets': { type: 'string' },
      cost: { type: 'boolean', default: false },
    },
  });
  if (values['write-sets']) {
    // The reference/photo categories as folders for `radlocal evaluate --ood` and `radlocal refit-card --ood`.
    const { DEFAULT_PREPROCESS_PARAMS } = await import('../core/preprocess/params.ts');
    const counts = await writeSetFolders(values['write-sets'], DEFAULT_PREPROCESS_PARAMS);
    process.stdout.write(`${JSON.stringify({ bench: 'ood', wrote: resolve(values['write-sets']), counts })}\n`);
    return;
  }
  if (values.cost) {
    await oodCost(values.model, Number(values.near));
    return;
  }
  const acceptance = Number(values.acceptance);
  const resamples = Number(values.resamples);
  const nearCount = Number(values.near);
  for (const dir of [values.train, values.heldout]) {
    if (!existsSync(join(dir, 'labels.csv'))) {
      throw new Error(
        `Expected a phantom dataset at ${dir}. Make them with: npx radlocal synth --out datasets/generated/chest-phantom-train --count 2400 --seed 1 ` +
          `(the training data of models/chest-phantom) and npx radlocal synth --out datasets/generated/chest-phantom-heldout --count 500 --seed 2`,
      );
    }
  }
  const t0 = performance.now();
  await selectBackend('wasm');
  const loaded = await loadModelFolder(values.model);
  const card = loaded.card;
  const model = loaded.model;
  if (!model) throw new Error(`bench/ood compares detectors on a layers model, but ${values.model} is not one.`);
  const taps = resolutionTapLayers(model, 5);
  log(`taps: ${taps.join(', ')}`);

  let items: Item[];
  if (values.cache && existsSync(values.cache)) {
    items = JSON.parse(readFileSync(values.cache, 'utf8')) as Item[];
    log(`features from ${values.cache}: ${items.length} images`);
  } else {
    const extract = featureExtractor(model, taps, card.architecture.logitsLayer);
    items = [];
    let pending: { category: string; name: string; input: Float32Array; pattern?: string }[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const feats = await extract(pending.map((p) => p.input));
      pending.forEach((p, i) => items.push({ category: p.category, name: p.name, features: feats[i]!, ...(p.pattern ? { pattern: p.pattern } : {}) }));
      pending = [];
    };
    const add = async (category: string, name: string, image: DecodedImage, frame: number, pattern?: string) => {
      pending.push({ category, name, input: preprocessFrame(image, frame, card.preprocessing).data, ...(pattern ? { pattern } : {}) });
      if (pending.length >= BATCH) await flush();
    };

    const ds = openDataset(values.train, { labels: card.labels, seed: card.training.seed });
    for (const split of ['train', 'val'] as const) {
      for (const ref of ds.splits[split]) await add(`id-${split}`, ref.path, await readImage(ref.path), 0, Array.from(ref.labels).join(''));
      await flush();
      log(`${split}: ${ds.splits[split].length} images (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const heldoutFiles = readdirSync(join(values.heldout, 'images')).sort();
    const nearSources: { name: string; image: DecodedImage }[] = [];
    for (const f of heldoutFiles) {
      const image = await readImage(join(values.heldout, 'images', f));
      await add('id-heldout', f, image, 0);
      if (nearSources.length < nearCount) nearSources.push({ name: f, image });
    }
    await flush();
    log(`held-out: ${heldoutFiles.length} images`);
    for (const b of nearImages(nearSources)) await add(b.category, b.name, b.image, b.frame);
    await flush();
    const others: BenchImage[] = [...(await referenceImages(card.preprocessing)), ...(await photoImages())];
    for (const b of others) await add(b.category, b.name, b.image, b.frame);
    await flush();
    log(`near/real/far/photos: ${items.length - ds.splits.train.length - ds.splits.val.length - heldoutFiles.length} images (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    if (values.cache) writeFileSync(values.cache, JSON.stringify(items));
  }

  const of = (category: string) => items.filter((i) => i.category === category);
  const train = of('id-train');
  const val = of('id-val');
  const heldout = of('id-heldout');
  const T = taps.length;
  const C = (k: number) => (train[0]!.features.taps[k]!.length / 2) | 0;
  const embedding = (f: Features) => f.taps[T - 1]!.slice(0, C(T - 1));
  const meanOnly = (f: Features, k: number) => f.taps[k]!.slice(0, C(k));

  // ---- candidates: each maps Features → score (higher = more unusual) ----
  type Candidate = { name: string; score: (f: Features) => number };
  const candidates: Candidate[] = [];
  const tapName = (k: number) => taps[k]!;
  // Baseline: the card-v1 detector (Ledoit–Wolf Mahalanobis of the pooled embedding), refitted on the same training split.
  const v1 = fitMahalanobis(train.map((i) => Float64Array.from(embedding(i.features))));
  candidates.push({ name: 'embedding Mahalanobis (card v1)', score: (f) => v1(Float64Array.from(embedding(f))) });

  const wanted = (name: string) => values.only === undefined || new RegExp(values.only).test(name);
  const multiLayer = (name: string, view: (f: Features, k: number) => Vec, layers: number[], how: 'max' | 'sum', diagonalFrom = Infinity) => {
    if (!wanted(name)) return;
    const scorers: Scorer[] = layers.map((k) => (k >= diagonalFrom ? fitDiagonal : fitMahalanobis)(train.map((i) => view(i.features, k))));
    const reference = layers.map((k, j) => val.map((i) => scorers[j]!(view(i.features, k))));
    const combined = combineZ(scorers, reference, how);
    candidates.push({ name, score: (f) => combined(layers.map((k) => view(f, k))) });
  };
  const all = Array.from({ length: T }, (_, k) => k);
  const raw = (f: Features, k: number): Vec => Float64Array.from(f.taps[k]!);
  const normed = (f: Features, k: number): Vec => l2normalise(Float64Array.from(f.taps[k]!));
  const normedMean = (f: Features, k: number): Vec => l2normalise(Float64Array.from(meanOnly(f, k)));
  const logStats = (f: Features, k: number): Vec => l2normalise(Float64Array.from(f.taps[k]!, (v) => Math.log(v + 1e-3)));
  for (const k of all) multiLayer(`single tap ${tapName(k)} (mean+std, L2)`, normed, [k], 'max');
  multiLayer('multi-layer Mahalanobis mean+std raw, max', raw, all, 'max');
  multiLayer('multi-layer Mahalanobis mean+std raw, sum', raw, all, 'sum');
  multiLayer('multi-layer Mahalanobis mean+std L2, max', normed, all, 'max');
  multiLayer('multi-layer Mahalanobis mean+std L2, sum', normed, all, 'sum');
  multiLayer('multi-layer Mahalanobis mean only L2, max', normedMean, all, 'max');
  multiLayer('multi-layer Mahalanobis log mean+std L2, max', logStats, all, 'max');
  multiLayer('multi-layer Mahalanobis log mean+std L2, sum', logStats, all, 'sum');
  // Spatial layout as one more "layer": the last tap on a 2×2 grid.
  const withGrid = (f: Features, k: number): Vec => (k < T ? l2normalise(Float64Array.from(f.taps[k]!)) : l2normalise(Float64Array.from(f.grid)));
  multiLayer('multi-layer Mahalanobis mean+std L2 + 2×2 grid, max', withGrid, [...all, T], 'max');
  multiLayer('multi-layer Mahalanobis mean+std L2 + 2×2 grid, sum', withGrid, [...all, T], 'sum');
  multiLayer('multi-layer Mahalanobis mean+std L2 + 2×2 grid (diagonal), max', withGrid, [...all, T], 'max', T);
  multiLayer('multi-layer Mahalanobis mean+std L2 + 2×2 grid (diagonal), sum', withGrid, [...all, T], 'sum', T);
  multiLayer('last two taps + 2×2 grid, sum', withGrid, [T - 2, T - 1, T], 'sum');
  // Cheaper layout: the last tap's means over the top and the bottom half only (2×1 grid).
  const halves = (f: Features): Float64Array => {
    const c = f.grid.length / 4;
    return Float64Array.from({ length: 2 * c }, (_, i) => {
      const row = Math.floor(i / c);
      const ch = i % c;
      return ((f.grid[(row * 2) * c + ch] as number) + (f.grid[(row * 2 + 1) * c + ch] as number)) / 2;
    });
  };
  const withHalves = (f: Features, k: number): Vec => (k < T ? l2normalise(Float64Array.from(f.taps[k]!)) : l2normalise(halves(f)));
  multiLayer('multi-layer Mahalanobis mean+std L2 + top/bottom halves, sum', withHalves, [...all, T], 'sum');
  multiLayer('multi-layer Mahalanobis mean+std L2 + top/bottom halves, max', withHalves, [...all, T], 'max');
  for (const k of wanted('KNN') ? [1, 5, 10] : []) {
    const knn = fitKnn(train.map((i) => Float64Array.from(embedding(i.features))), k);
    candidates.push({ name: `KNN k=${k} normalised embedding`, score: (f) => knn(Float64Array.from(embedding(f))) });
  }
  const concat = (f: Features) => Float64Array.from(all.flatMap((k) => Array.from(l2normalise(Float64Array.from(f.taps[k]!)))));
  if (wanted('KNN')) {
    const knnMulti = fitKnn(train.map((i) => concat(i.features)), 5);
    candidates.push({ name: 'KNN k=5 normalised multi-layer mean+std', score: (f) => knnMulti(concat(f)) });
  }
  if (wanted('relative')) {
    const rmd = fitRelativeMahalanobis(
      train.map((i) => Float64Array.from(embedding(i.features))),
      train.map((i) => i.pattern ?? ''),
    );
    candidates.push({ name: 'relative Mahalanobis embedding', score: (f) => rmd(Float64Array.from(embedding(f))) });
  }

  // ---- evaluation ----
  const categories = [...new Set(items.map((i) => i.category))].filter((c) => !c.startsWith('id-'));
  const groups: Record<string, string[]> = {
    'near (all)': categories.filter((c) => c.startsWith('near-')),
    'far (DICOM, PNG, photos)': ['far-dicom', 'far-png', 'photo'],
  };
  const results = candidates.map((cand, ci) => {
    const s = (list: Item[]) => list.map((i) => cand.score(i.features));
    const valScores = s(val).sort((a, b) => a - b);
    const threshold = sortedQuantile(valScores, acceptance);
    const idScores = s(heldout);
    const perCategory: Record<string, unknown> = {};
    const summarise = (label: string, cats: string[]) => {
      const ood = s(items.filter((i) => cats.includes(i.category)));
      if (ood.length === 0) return;
      perCategory[label] = {
        n: ood.length,
        auroc: round(auroc(idScores, ood)),
        aurocCi95: bootstrapAucCi([...idScores, ...ood], [...idScores.map(() => 0), ...ood.map(() => 1)], { iterations: resamples, seed: 11 + ci }).map((x) => round(x)),
        fprAt95Tpr: round(fprAt95(idScores, ood)),
        fprAt95TprCi95: bootstrap(idScores, ood, fprAt95, resamples, 23 + ci).map((x) => round(x)),
        flagged: round(ood.filter((x) => x > threshold).length / ood.length),
      };
    };
    for (const c of categories) summarise(c, [c]);
    for (const [g, cats] of Object.entries(groups)) summarise(g, cats);
    return { detector: cand.name, threshold: round(threshold), heldoutFlagged: round(idScores.filter((x) => x > threshold).length / idScores.length), perCategory };
  });
  const compact = results.map((r) => ({
    detector: r.detector,
    heldoutFlagged: r.heldoutFlagged,
    ...Object.fromEntries(
      Object.entries(r.perCategory).map(([c, v]) => {
        const m = v as { auroc: number; fprAt95Tpr: number; flagged: number };
        return [c, `AUROC ${m.auroc} FPR95 ${m.fprAt95Tpr} flagged ${m.flagged}`];
      }),
    ),
  }));
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'ood',
        model: resolve(values.model),
        taps,
        counts: Object.fromEntries([...new Set(items.map((i) => i.category))].map((c) => [c, of(c).length])),
        acceptance,
        resamples,
        seconds: round((performance.now() - t0) / 1000, 1),
        loadAverage1m: round(loadavg()[0] ?? 0, 2),
        results: values.detail ? results : compact,
      },
      null,
      2,
    )}\n`,
  );
  loaded.dispose();
}
