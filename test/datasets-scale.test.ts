/**
 * A 100,000-row manifest (CheXpert conventions, a view column) is indexed and split in one pass over the CSV (the
 * time is reported by `npm run bench -- dataset`, not asserted here): every row accounted
 * for, patients kept whole, each label stratified.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { writeScaleManifest } from './fixtures/public-datasets.ts';

const root = mkdtempSync(join(tmpdir(), 'radlocal-scale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('100,000-row dataset', () => {
  it('is indexed and split: all rows, no patient in two splits, every label near its fraction in every split', () => {
    const dir = writeScaleManifest(root, 100_000);
    const ds = openDataset(dir, { seed: 3, labels: ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule', 'edema'] });
    const { train, val, test } = ds.summary.splits;
    // One in ten rows is a lateral view (left out); frontal images 90,000.
    expect(ds.summary.eligibility.excluded).toEqual({ 'view LATERAL': 10_000 });
    expect(ds.summary.eligibility.kept).toEqual({ AP: 60_000, PA: 30_000 });
    expect(train.unknown.pneumothorax).toBeGreaterThan(0);
    expect(val.unknown.pneumothorax! + test.unknown.pneumothorax!).toBe(0); // uncertain images train only
    expect(train.examples + val.examples + test.examples).toBe(90_000);
    const owner = new Map<string, string>();
    for (const name of ['train', 'val', 'test'] as const) for (const r of ds.splits[name]) {
      expect(owner.get(r.patientId) ?? name).toBe(name);
      owner.set(r.patientId, name);
    }
    for (const label of ds.labels) {
      const total = train.positives[label]! + val.positives[label]! + test.positives[label]!;
      expect(Math.abs(val.positives[label]! - 0.1 * total)).toBeLessThanOrEqual(10);
      expect(Math.abs(test.positives[label]! - 0.1 * total)).toBeLessThanOrEqual(10);
    }
    expect(Math.abs(val.examples - 9_000)).toBeLessThanOrEqual(10);
  }, 120_000);
});

