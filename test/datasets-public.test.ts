/**
 * CheXpert, MIMIC-CXR-JPG and PadChest layouts read from generated copies of their real
 * structure (test/fixtures/public-datasets.ts): label conventions, uncertainty policies,
 * views, the label mapping and the dataset's own splits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset, ExampleRef } from '../training/src/data/dataset-types.ts';
import { parseLabelRequests, parseUncertainty } from '../training/src/data/label-map.ts';
import { detectLayout } from '../training/src/data/layouts/detect-layout.ts';
import { parsePadchestLabels } from '../training/src/data/layouts/padchest.ts';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { splitByPatient } from '../training/src/data/patient-split.ts';
import { temporaryFolders, writeChexpert, writeMimic, writePadchest, type ChexpertRow } from './fixtures/public-datasets.ts';
import { expectTypedError } from './typed-error-code.ts';

const folders = temporaryFolders('radlocal-public-');
const tmp = folders.make;
afterAll(folders.removeAll);

const all = (ds: Dataset) => [...ds.splits.train, ...ds.splits.val, ...ds.splits.test];
const byFile = (ds: Dataset) =>
  Object.fromEntries(all(ds).map((r) => [r.path.split('/').slice(-3).join('/'), { labels: Array.from(r.labels), known: r.known ? Array.from(r.known) : undefined }]));
const ALL_TRAIN = { train: 1, val: 0, test: 0 };

describe('CheXpert', () => {
  const rows: ChexpertRow[] = [
    { patient: 1, study: 1, view: 1, frontal: true, apPa: 'AP', labels: { Cardiomegaly: '1.0', 'Pleural Effusion': '-1.0', 'Lung Lesion': '0.0' } },
    { patient: 1, study: 1, view: 2, frontal: false, apPa: '', labels: { Cardiomegaly: '1.0' } },
    { patient: 2, study: 1, view: 1, frontal: true, apPa: 'PA', labels: { 'No Finding': '1.0' } },
    { patient: 3, study: 2, view: 1, frontal: true, apPa: 'PA', labels: { Pneumothorax: '-1.0', 'Lung Lesion': '1.0', 'Pleural Effusion': '1.0' } },
  ];
  const valid: ChexpertRow[] = [{ patient: 64541, study: 1, view: 1, frontal: true, apPa: 'AP', labels: { Cardiomegaly: '1.0', 'Pleural Effusion': '0.0', Pneumothorax: '0.0', 'Lung Lesion': '0.0' } }];
  const dir = writeChexpert(tmp(), rows, valid);

  it('is detected from train.csv/valid.csv and maps the observations onto the RadLocal findings', () => {
    expect(detectLayout(dir)).toEqual({ layout: 'chexpert', files: ['train.csv', 'valid.csv'] });
    const ds = openDataset(dir, { requirePositives: false, splitFractions: ALL_TRAIN });
    expect(ds.labels).toEqual(['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule']);
    expect(ds.summary.mapping).toMatchObject({ pleural_effusion: { columns: ['Pleural Effusion'], uncertain: 'ignore' }, nodule: { columns: ['Lung Lesion'] } });
    expect(ds.summary.unusedColumns).toContain('Edema');
  });

  it('U-Ignore masks −1, blank is a negative; frontal only, lateral counted; valid.csv is the test split', () => {
    const ds = openDataset(dir, { requirePositives: false, splitFractions: ALL_TRAIN });
    expect(byFile(ds)).toEqual({
      'patient00001/study1/view1_frontal.jpg': { labels: [1, 0, 0, 0], known: [1, 0, 1, 1] },
      'patient00002/study1/view1_frontal.jpg': { labels: [0, 0, 0, 0], known: undefined },
      'patient00003/study2/view1_frontal.jpg': { labels: [0, 1, 0, 1], known: [1, 1, 0, 1] },
      'patient64541/study1/view1_frontal.jpg': { labels: [1, 0, 0, 0], known: undefined },
    });
    expect(ds.summary.eligibility).toMatchObject({ viewSource: 'Frontal/Lateral and AP/PA columns', kept: { AP: 2, PA: 2 }, excluded: { 'view LATERAL': 1 } });
    expect(ds.splits.test.map((r) => r.patientId)).toEqual(['patient64541']);
    expect(ds.summary.splits.train).toMatchObject({ positives: { pleural_effusion: 1, pneumothorax: 0 }, unknown: { pleural_effusion: 1, pneumothorax: 1 }, negatives: { pneumothorax: 2 } });
  });

  it('U-Ones and U-Zeros (also per label), all views on request', () => {
    const ones = openDataset(dir, { requirePositives: false, splitFractions: ALL_TRAIN, uncertain: 'ones' });
    expect(byFile(ones)['patient00001/study1/view1_frontal.jpg']).toEqual({ labels: [1, 1, 0, 0], known: undefined });
    const mixed = openDataset(dir, { requirePositives: false, splitFractions: ALL_TRAIN, uncertain: 'zeros,pneumothorax=ones', views: 'all' });
    expect(byFile(mixed)['patient00003/study2/view1_frontal.jpg']).toEqual({ labels: [0, 1, 1, 1], known: undefined });
    expect(byFile(mixed)['patient00001/study1/view1_frontal.jpg']).toEqual({ labels: [1, 0, 0, 0], known: undefined });
    expect(all(mixed)).toHaveLength(5);
  });

  it('a row whose image is missing is DATASET_BAD_FILES, or skipped and counted with skipBad', async () => {
    const broken = writeChexpert(tmp(), [...rows, { patient: 9, study: 1, view: 1, frontal: true, apPa: 'PA', labels: {}, noFile: true }]);
    await expectTypedError(() => openDataset(broken), 'DATASET_BAD_FILES');
    expect(openDataset(broken, { skipBad: true, requirePositives: false }).summary.missing.count).toBe(1);
  });
});

describe('MIMIC-CXR-JPG', () => {
  const root = writeMimic(
    tmp(),
    [
      { subject: 10000032, study: 50414267, viewPosition: 'PA', split: 'train' },
      { subject: 10000032, study: 50414267, viewPosition: 'LATERAL', split: 'train' },
      { subject: 10000032, study: 53189527, viewPosition: 'AP', split: 'train' },
      { subject: 10000764, study: 57375967, viewPosition: 'PA', split: 'validate' },
      { subject: 10000898, study: 50771383, viewPosition: '', split: 'test' },
      { subject: 10000935, study: 51178377, viewPosition: 'AP', split: 'test' },
      { subject: 10001038, study: 58224232, viewPosition: 'PA', split: 'train' },
    ],
    [
      { subject: 10000032, study: 50414267, labels: { Cardiomegaly: '1.0', 'Pleural Effusion': '-1.0' } },
      { subject: 10000032, study: 53189527, labels: { 'No Finding': '1.0' } },
      { subject: 10000764, study: 57375967, labels: { Pneumothorax: '1.0', 'Lung Lesion': '0.0' } },
      { subject: 10000898, study: 50771383, labels: { Edema: '1.0' } },
      { subject: 10000935, study: 51178377, labels: { 'Pleural Effusion': '1.0', 'Lung Lesion': '-1.0' } },
    ],
  );

  it('reads the gzipped CSVs: labels per study, p10/p10000032/s50414267 paths, official split, ViewPosition', () => {
    expect(detectLayout(root)).toEqual({ layout: 'mimic-cxr-jpg', files: ['mimic-cxr-2.0.0-chexpert.csv.gz', 'mimic-cxr-2.0.0-metadata.csv.gz', 'mimic-cxr-2.0.0-split.csv.gz'] });
    const ds = openDataset(root, { requirePositives: false, uncertain: 'zeros' });
    const where = (refs: ExampleRef[]) => refs.map((r) => r.path.split('/').slice(-4, -1).join('/')).sort();
    expect(where(ds.splits.train)).toEqual(['p10/p10000032/s50414267', 'p10/p10000032/s53189527']);
    expect(where(ds.splits.val)).toEqual(['p10/p10000764/s57375967']);
    expect(where(ds.splits.test)).toEqual(['p10/p10000935/s51178377']);
    expect(ds.splits.train.map((r) => Array.from(r.labels)).sort()).toEqual([[0, 0, 0, 0], [1, 0, 0, 0]]);
    expect(Array.from(ds.splits.test[0]!.labels)).toEqual([0, 1, 0, 0]);
    expect(ds.summary.eligibility.excluded).toEqual({ 'study without a label row': 1, 'view LATERAL': 1, 'view not given': 1 });
    expect(ds.summary.splitMethod).toContain('mimic-cxr-2.0.0-split.csv.gz');
    expect(ds.splits.train[0]!.patientId).toBe('10000032');
  });

  it('U-Ignore: an image with an uncertain label in the official test split is left out and counted (it could not be measured)', () => {
    const ds = openDataset(root, { requirePositives: false });
    expect(ds.splits.test).toHaveLength(0);
    expect(ds.summary.eligibility.excluded["uncertain label in the dataset's test split"]).toBe(1);
    expect(ds.splits.train.some((r) => r.known?.[1] === 0)).toBe(true);
  });

  it('plain .csv files work the same', () => {
    const plain = writeMimic(tmp(), [{ subject: 11000001, study: 50000001, viewPosition: 'PA', split: 'train' }], [{ subject: 11000001, study: 50000001, labels: { Cardiomegaly: '1.0' } }], { gzip: false });
    const ds = openDataset(plain, { labels: ['cardiomegaly'], splitFractions: ALL_TRAIN });
    expect(ds.summary.files).toEqual(['mimic-cxr-2.0.0-chexpert.csv', 'mimic-cxr-2.0.0-metadata.csv', 'mimic-cxr-2.0.0-split.csv']);
    expect(all(ds).map((r) => r.path.endsWith('/files/p11/p11000001/s50000001/' + r.path.split('/').pop()))).toEqual([true]);
  });
});

describe('PadChest', () => {
  it('parses the Labels list column, keeps PA/AP/AP_horizontal, leaves out lateral, costal, unlabelled and excluded rows', () => {
    expect(parsePadchestLabels("['pleural effusion', ' nodule']")).toEqual(['pleural effusion', 'nodule']);
    expect(parsePadchestLabels('[]')).toEqual([]);
    const root = writePadchest(tmp(), [
      { patient: 'a1', study: 's1', projection: 'PA', labels: ['pleural effusion', 'nodule'], imageDir: 0 },
      { patient: 'a1', study: 's1', projection: 'L', labels: ['pleural effusion', 'nodule'], imageDir: 0 },
      { patient: 'b2', study: 's2', projection: 'AP_horizontal', labels: ['cardiomegaly', 'pneumothorax'], imageDir: 1 },
      { patient: 'c3', study: 's3', projection: 'PA', labels: ['normal'], imageDir: 1 },
      { patient: 'd4', study: 's4', projection: 'COSTAL', labels: ['fracture'], imageDir: 2 },
      { patient: 'e5', study: 's5', projection: 'PA', labels: null, imageDir: 2 },
      { patient: 'f6', study: 's6', projection: 'PA', labels: ['exclude'], imageDir: 2 },
      { patient: 'g7', study: 's7', projection: 'AP', labels: ['mass', 'cardiomegaly'], imageDir: 3 },
    ]);
    expect(detectLayout(root).layout).toBe('padchest');
    const ds = openDataset(root, { splitFractions: ALL_TRAIN });
    expect(ds.labels).toEqual(['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule']);
    expect(Object.fromEntries(all(ds).map((r) => [r.patientId, Array.from(r.labels)]))).toEqual({ a1: [0, 1, 0, 1], b2: [1, 0, 1, 0], c3: [0, 0, 0, 0], g7: [1, 0, 0, 1] });
    expect(ds.summary.mapping.nodule?.columns).toEqual(['mass', 'nodule']);
    expect(ds.summary.eligibility).toMatchObject({ viewSource: 'Projection column', kept: { PA: 2, AP: 2 }, excluded: { 'no labels': 1, 'labelled exclude': 1, 'view LATERAL': 1, 'view COSTAL': 1 } });
  });
});

describe('label mapping options', () => {
  it('--labels takes model labels, with optional columns; --uncertain a default and per-label policies', async () => {
    expect(parseLabelRequests('cardiomegaly,pleural_effusion=Pleural Effusion,nodule=Mass|Nodule')).toEqual([
      { label: 'cardiomegaly' },
      { label: 'pleural_effusion', columns: ['Pleural Effusion'] },
      { label: 'nodule', columns: ['Mass', 'Nodule'] },
    ]);
    await expectTypedError(() => parseLabelRequests('Pleural Effusion'), 'CLI_USAGE');
    expect(parseUncertainty('U-Zeros,edema=ones')).toEqual({ default: 'zeros', perLabel: { edema: 'ones' } });
    await expectTypedError(() => parseUncertainty('maybe'), 'CLI_USAGE');
  });

  it('NIH findings through explicit columns: nodule = Mass only', () => {
    const dir = writeChexpert(tmp(), [{ patient: 1, study: 1, view: 1, frontal: true, apPa: 'PA', labels: { Edema: '1.0' } }]);
    const ds = openDataset(dir, { labels: [{ label: 'edema' }, { label: 'lesion', columns: ['Lung Lesion'] }], splitFractions: ALL_TRAIN, requirePositives: false });
    expect(ds.summary.mapping).toEqual({ edema: { columns: ['Edema'], uncertain: 'ignore' }, lesion: { columns: ['Lung Lesion'], uncertain: 'ignore' } });
    expect(Array.from(ds.splits.train[0]!.labels)).toEqual([1, 0]);
  });
});

describe('stratified split on a small dataset', () => {
  it('gives every label positives in every split when it has ≥ 3 positive patients, and says nothing it cannot do', () => {
    // 32 patients × 2 images; label 0 common, label 1 has 3 positive patients, label 2 only 2.
    const examples: ExampleRef[] = [];
    for (let p = 0; p < 32; p++) {
      const labels = Uint8Array.from([p % 3 === 0 ? 1 : 0, [5, 17, 29].includes(p) ? 1 : 0, [8, 20].includes(p) ? 1 : 0]);
      for (let k = 0; k < 2; k++) examples.push({ path: `/x/${p}_${k}.png`, patientId: `P${p}`, labels });
    }
    for (const seed of [1, 2, 3]) {
      const s = splitByPatient(examples, { train: 0.8, val: 0.1, test: 0.1 }, seed);
      const positives = (refs: ExampleRef[], j: number) => refs.filter((r) => r.labels[j] === 1).length;
      for (const name of ['train', 'val', 'test'] as const) {
        expect(positives(s[name], 0)).toBeGreaterThan(0);
        expect(positives(s[name], 1)).toBe(2);
      }
      // Two positive patients: one for training, one for calibration; none left for the test split.
      expect([positives(s.train, 2), positives(s.val, 2), positives(s.test, 2)]).toEqual([2, 2, 0]);
    }
  });
});
