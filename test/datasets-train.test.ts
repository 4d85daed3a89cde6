/**
 * `radlocal train` and its dataset: refused before the first training step (with the numbers)
 * when a label cannot be evaluated; with allowLabelsOff trained and exported with that label
 * switched off in the card; and a failure after training keeps the checkpoint, which
 * `--resume` at the epochs done exports without training again.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../training/src/export/model-folder.ts';
import { DEFAULT_TRAINING, runTraining, type TrainingOptions } from '../training/src/train/run-training.ts';
import { writePngManifest } from './helpers/png-manifest.ts';
import { expectTypedError } from './typed-error-code.ts';

const root = mkdtempSync(join(tmpdir(), 'radlocal-ds-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 60 patients, one 32² PNG each: "common" in every 3rd patient, "rare" in patients 7 and 41 only. */
const data = writePngManifest(join(root, 'data'), 60, { common: (p) => p % 3 === 0, rare: (p) => p === 7 || p === 41 });
const options = (out: string, extra: Partial<TrainingOptions> = {}): TrainingOptions => ({
  ...DEFAULT_TRAINING,
  data,
  out,
  name: 'tiny',
  command: 'radlocal train (test)',
  epochs: 1,
  imageSize: 32,
  width: 4,
  batchSize: 8,
  maxStepsPerEpoch: 2,
  augment: null,
  workers: 0,
  backend: 'cpu',
  ...extra,
});

describe('train and the dataset check', () => {
  it('refuses before any training step, with the numbers', async () => {
    const out = join(root, 'refused');
    const epochs: number[] = [];
    let checked = 0;
    await expectTypedError(
      runTraining(options(out), { onEpoch: (e) => epochs.push(e.epoch), onCheck: () => checked++ }),
      'DATASET_INVALID',
      /"rare": it cannot be evaluated: the test split has 0 positive and \d+ negative images\. The dataset has 2 patients with a positive image/,
    );
    expect(checked).toBe(1);
    expect(epochs).toEqual([]);
    expect(() => readdirSync(out)).toThrow(); // nothing written
  }, 120_000);

  it('with allowLabelsOff trains the other labels and says in the card why the label is off', async () => {
    const out = join(root, 'off');
    const { card } = await runTraining(options(out, { allowLabelsOff: true }));
    expect(card!.labels).toEqual(['common']);
    expect(card!.labelsOff).toEqual({ rare: expect.stringContaining('cannot be evaluated: the test split has 0 positive') });
    const loaded = await loadModelFolder(out); // the written card passes the schema
    expect(loaded.card.labelsOff?.rare).toBeDefined();
    loaded.dispose();
  }, 240_000);

  it('keeps the trained model when export fails, and --resume at the epochs done finishes it without training', async () => {
    const out = join(root, 'kept');
    mkdirSync(join(out, 'model.json'), { recursive: true }); // the export cannot write its model file
    const run = options(out, { labels: ['common'] });
    const error = await runTraining(run).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining(`The trained model is kept: ${out}/.checkpoint holds its weights after 1 epochs`) });
    expect((error as Error).message).toContain('--resume --epochs 1');
    expect(readdirSync(join(out, '.checkpoint')).sort()).toEqual(['best.bin', 'last.bin', 'state.json']);
    rmdirSync(join(out, 'model.json'));
    const steps: number[] = [];
    const { card } = await runTraining({ ...run, resume: true, epochs: 1 }, { onStep: (s) => steps.push(s.step) });
    expect(steps).toEqual([]);
    expect(card!.training.epochs).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model-card.json', 'model.json']);
  }, 240_000);

  it('`radlocal train --check` prints the summary (JSON with --json) and exits 1 on a problem, 0 once the label is left out', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '..', 'training', 'bin', 'radlocal.mjs'), 'train', '--data', data, '--check', '--image-size', '16', ...args], { encoding: 'utf8' });
    const text = cli();
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('layout        csv-manifest (manifest.csv)');
    expect(text.stdout).toMatch(/rare\s+rare\s+ignore\s+\d+\/\d+\/0\s+\d+\/\d+\/0\s+0\/\d+\/0\s+✗/);
    const json = cli('--json');
    expect(json.status).toBe(1);
    const check = JSON.parse(json.stdout) as { ok: boolean; summary: { examples: number }; labels: { label: string; evaluable: boolean }[] };
    expect(check).toMatchObject({ ok: false, summary: { examples: 60 } });
    expect(check.labels.map((l) => [l.label, l.evaluable])).toEqual([['common', true], ['rare', false]]);
    expect(cli('--labels', 'common').status).toBe(0);
  }, 120_000);
});
