/**
 * The dataset check run before training: decoded scan (unreadable files, duplicates by pixel
 * hash kept in one split, DICOM ViewPosition eligibility), per-label counts per split and the
 * refusal of what cannot be learned, calibrated or evaluated — with the numbers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS_PARAMS } from '../core/preprocess/params.ts';
import { checkDataset, datasetRefusal, formatDatasetCheck } from '../training/src/data/check-dataset.ts';
import { writePart10 } from '../training/src/dicom-write/write-part10.ts';
import { jpegBytes, temporaryFolders, writeChexpert, type ChexpertRow } from './fixtures/public-datasets.ts';

const folders = temporaryFolders('radlocal-check-');
const tmp = folders.make;
afterAll(folders.removeAll);
const scan = { params: { ...DEFAULT_PREPROCESS_PARAMS, height: 16, width: 16 }, workers: 0 };

/** 40 patients, one frontal image each; cardiomegaly every 4th patient, pneumothorax in only two. */
function rows(): ChexpertRow[] {
  return Array.from({ length: 40 }, (_, p) => ({
    patient: p + 1,
    study: 1,
    view: 1,
    frontal: true,
    apPa: p % 2 ? 'AP' : 'PA',
    labels: {
      Cardiomegaly: p % 4 === 0 ? '1.0' : '0.0',
      'Pleural Effusion': p % 5 === 0 ? '1.0' : p % 7 === 0 ? '-1.0' : '',
      Pneumothorax: p === 3 || p === 30 ? '1.0' : '0.0',
      'Lung Lesion': p % 6 === 0 ? '1.0' : '0.0',
    },
  }));
}

describe('checkDataset', () => {
  it('counts positives / negatives / unknowns per split and refuses, with the numbers, a label that cannot be evaluated', async () => {
    const dir = writeChexpert(tmp(), rows());
    const { dataset, check } = await checkDataset(dir, { seed: 1, scan });
    expect(check.ok).toBe(false);
    const pneumothorax = check.labels.find((l) => l.label === 'pneumothorax')!;
    expect(pneumothorax).toMatchObject({ positivePatients: 2, learnable: true, calibratable: true, evaluable: false });
    expect(pneumothorax.splits.test.positives).toBe(0);
    expect(check.problems).toEqual([
      `"pneumothorax": it cannot be evaluated: the test split has 0 positive and ${pneumothorax.splits.test.negatives} negative images. The dataset has 2 patients with a positive image; a stratified split needs at least 3 (one per split).`,
    ]);
    // Every other label has positives and negatives in every split.
    for (const l of check.labels.filter((x) => x.label !== 'pneumothorax')) {
      for (const s of ['train', 'val', 'test'] as const) expect(l.splits[s].positives * l.splits[s].negatives).toBeGreaterThan(0);
    }
    const effusion = check.labels.find((l) => l.label === 'pleural_effusion')!;
    expect([effusion.splits.train.unknown, effusion.splits.val.unknown, effusion.splits.test.unknown]).toEqual([4, 0, 0]); // p = 7, 14, 21, 28: training only
    expect(dataset.summary.examples).toBe(40);
    expect(check.patientsCrossingSplits).toBe(0);
    const refusal = datasetRefusal(check);
    expect(refusal.code).toBe('DATASET_INVALID');
    expect(refusal.message).toContain('the test split has 0 positive and');
    expect(refusal.message).toContain('--allow-labels-off');
    const text = formatDatasetCheck(check);
    expect(text).toContain('layout        chexpert (train.csv)');
    expect(text).toMatch(/pneumothorax\s+Pneumothorax\s+ignore\s+\d+\/\d+\/0\s+\d+\/\d+\/0\s+0\/\d+\/0\s+✗/);
    // Without the label the same data passes.
    const without = await checkDataset(dir, { seed: 1, labels: ['cardiomegaly', 'pleural_effusion', 'nodule'] });
    expect(without.check.ok).toBe(true);
  });

  it('finds unreadable images and identical pixels (kept in one split), and leaves lateral DICOMs out by their ViewPosition', async () => {
    const root = tmp();
    const lines = ['path,patient_id,cardiomegaly'];
    for (let i = 0; i < 30; i++) {
      // Images 0 and 1 have identical pixels though they belong to different patients.
      writeFileSync(join(root, `img${i}.jpg`), jpegBytes(i === 1 ? 10 : i + 10));
      lines.push(`img${i}.jpg,P${i},${i % 3 === 0 ? 1 : 0}`);
    }
    writeFileSync(join(root, 'broken.jpg'), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    lines.push('broken.jpg,PB,0');
    const dicom = async (view: string, seed: number) =>
      writePart10({
        sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
        sopInstanceUID: `2.25.${seed}`,
        transferSyntaxUID: '1.2.840.10008.1.2.1',
        dataset: [
          { tag: 0x00080060, vr: 'CS', value: 'DX' },
          { tag: 0x00185101, vr: 'CS', value: view },
          { tag: 0x00280002, vr: 'US', value: 1 },
          { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
          { tag: 0x00280010, vr: 'US', value: 4 },
          { tag: 0x00280011, vr: 'US', value: 4 },
          { tag: 0x00280100, vr: 'US', value: 16 },
          { tag: 0x00280101, vr: 'US', value: 12 },
          { tag: 0x00280102, vr: 'US', value: 11 },
          { tag: 0x00280103, vr: 'US', value: 0 },
        ],
        frames: [Uint16Array.from({ length: 16 }, (_, k) => (k * 97 + seed * 31) % 4096)],
        rows: 4,
        columns: 4,
        bitsStored: 12,
      });
    writeFileSync(join(root, 'lateral.dcm'), await dicom('LL', 1));
    writeFileSync(join(root, 'frontal.dcm'), await dicom('PA', 2));
    lines.push('lateral.dcm,PL,1', 'frontal.dcm,PF,0');
    writeFileSync(join(root, 'manifest.csv'), `${lines.join('\n')}\n`);

    const strict = await checkDataset(root, { seed: 2, scan });
    expect(strict.check.unreadable.count).toBe(1);
    expect(strict.check.problems[0]).toMatch(/^1 image cannot be decoded \(first: .*broken\.jpg \[/);
    expect(strict.check.duplicates).toEqual({ groups: 1, images: 2, first: [[join(root, 'img0.jpg'), join(root, 'img1.jpg')]] });
    const splitOf = (name: string) => (['train', 'val', 'test'] as const).find((s) => strict.dataset.splits[s].some((r) => r.path.endsWith(`/${name}`)));
    expect(splitOf('img0.jpg')).toBe(splitOf('img1.jpg'));
    expect(splitOf('lateral.dcm')).toBeUndefined();
    expect(strict.dataset.summary.eligibility.excluded).toEqual({ unreadable: 1, 'DICOM ViewPosition LL': 1 });
    expect(strict.dataset.summary.eligibility.kept).toEqual({ 'not given': 30, PA: 1 });

    const lenient = await checkDataset(root, { seed: 2, scan, skipBad: true });
    expect(lenient.check.ok).toBe(true);
    expect(lenient.dataset.summary.examples).toBe(31);
  });
});
