/**
 * `radlocal evaluate --split test` on the folder a model was trained on must reproduce the
 * test metrics `radlocal train` wrote into the card: same patient split (the card's seed),
 * same core/model pipeline, same metric code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../training/src/eval/evaluate-model.ts';
import { expectTypedError } from './typed-error-code.ts';
import { seededRandom } from '../core/random/seeded-random.ts';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { DEFAULT_TRAINING, runTraining } from '../training/src/train/run-training.ts';

const SIZE = 32;

/** Grey PNGs with a bright square (label "square") and/or a bright band (label "band") on noise. */
function writeDataset(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(5);
  const rows = ['file,patient_id,square,band'];
  for (let i = 0; i < count; i++) {
    const square = i % 2;
    const band = Math.floor(i / 2) % 2;
    const sx = Math.floor(random() * 20);
    const by = Math.floor(random() * 26);
    const pixels = new Uint8Array(SIZE * SIZE);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let v = Math.floor(random() * 90);
        if (square && x >= sx && x < sx + 10 && y >= sx && y < sx + 10) v += 120;
        if (band && y >= by && y < by + 5) v += 100;
        pixels[y * SIZE + x] = Math.min(255, v);
      }
    }
    const file = `i${i}.png`;
    writeFileSync(join(dir, file), encode({ width: SIZE, height: SIZE, data: pixels, channels: 1, depth: 8 }));
    rows.push(`${file},p${i},${square},${band}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
}

describe('train → evaluate consistency', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'radlocal-consistency-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reproduces the card test metrics on the training folder test split', async () => {
    const data = join(root, 'data');
    writeDataset(data, 240);
    const out = join(root, 'models', 'tiny');
    const { card } = await runTraining({
      ...DEFAULT_TRAINING,
      data,
      out,
      name: 'tiny',
      command: 'test',
      epochs: 1,
      imageSize: SIZE,
      width: 4,
      batchSize: 16,
      maxStepsPerEpoch: 3,
      augment: null,
      workers: 0,
    });
    expect(card).toBeDefined();
    const test = card!.metrics.test;
    const loaded = await loadModelFolder(out);
    try {
      const { summary, split } = await evaluateModel(loaded, data, { bootstrapIterations: 20 });
      expect(split).toBe('test');
      expect(summary.n).toBe(test.n);
      expect(summary.n).toBe(card!.trainingData.counts.test);
      for (const label of card!.labels) {
        expect(summary.perLabel[label]!.auc).toBeCloseTo(test.perLabel[label]!.auc!, 6);
        expect(summary.perLabel[label]!.sensitivity).toBeCloseTo(test.perLabel[label]!.sensitivity!, 6);
        expect(summary.perLabel[label]!.specificity).toBeCloseTo(test.perLabel[label]!.specificity!, 6);
      }
      expect(summary.macroAuc).toBeCloseTo(test.macroAuc!, 6);
      expect(summary.ece).toBeCloseTo(test.ece, 6);
      expect(summary.oodRate).toBeCloseTo(test.oodRate, 6);
      // The card records which images were held out; when today's split of the folder differs
      // (another split rule since training), "the test split" is refused instead of scoring trained images.
      expect(card!.trainingData.testSplitFingerprint).toMatch(/^[0-9a-f]{64}$/);
      const moved = { ...loaded, card: { ...loaded.card, trainingData: { ...loaded.card.trainingData, testSplitFingerprint: '0'.repeat(64) } } };
      await expectTypedError(evaluateModel(moved, data, { bootstrapIterations: 20 }), 'EVAL_SPLIT_CHANGED', /patient split has changed/);
    } finally {
      loaded.dispose();
    }
  });
});
