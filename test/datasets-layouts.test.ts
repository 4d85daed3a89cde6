/**
 * Dataset readers: one small fixture per public layout, built here to mimic the real one,
 * plus the patient-level split and the bad-data rules.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExampleRef } from '../training/src/data/dataset-types.ts';
import { detectLayout } from '../training/src/data/layouts/detect-layout.ts';
import { openDataset, sampleRefs } from '../training/src/data/open-dataset.ts';
import { splitByPatient } from '../training/src/data/patient-split.ts';
import { writePart10 } from '../training/src/dicom-write/write-part10.ts';
import { expectTypedError } from './typed-error-code.ts';

const roots: string[] = [];
function fixture(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'radlocal-ds-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const LABELS = ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'];
const byName = (refs: ExampleRef[]) => Object.fromEntries(refs.map((r) => [r.path.split('/').pop(), Array.from(r.labels)]));
const all = (ds: ReturnType<typeof openDataset>) => [...ds.splits.train, ...ds.splits.val, ...ds.splits.test];

describe('layout readers', () => {
  it('phantom labels.csv: labels in column order, patients from patient_id', () => {
    const root = fixture({
      'labels.csv': 'file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule\nimages/a.dcm,P1,1,0,0,0\nimages/b.dcm,P1,0,1,0,0\nimages/c.dcm,P2,0,0,1,1\n',
      'images/a.dcm': 'x',
      'images/b.dcm': 'x',
      'images/c.dcm': 'x',
    });
    expect(detectLayout(root).layout).toBe('phantom');
    const ds = openDataset(root, { splitFractions: { train: 1, val: 0, test: 0 } });
    expect(ds.labels).toEqual(LABELS);
    expect(byName(ds.splits.train)).toEqual({ 'a.dcm': [1, 0, 0, 0], 'b.dcm': [0, 1, 0, 0], 'c.dcm': [0, 0, 1, 1] });
    expect(ds.summary.patients).toBe(2);
  });

  it('CSV manifest: path column, labels reordered to the model; a non-0/1 column is named in the error', async () => {
    const root = fixture({
      'manifest.csv': 'path,nodule,cardiomegaly\nimg/1.png,1,0\nimg/2.png,0,1\n',
      'img/1.png': 'x',
      'img/2.png': 'x',
    });
    expect(detectLayout(root)).toEqual({ layout: 'csv-manifest', files: ['manifest.csv'] });
    const ds = openDataset(root, { labels: ['cardiomegaly', 'nodule'], splitFractions: { train: 1, val: 0, test: 0 } });
    expect(byName(ds.splits.train)).toEqual({ '1.png': [0, 1], '2.png': [1, 0] });

    const bad = fixture({ 'm.csv': 'file,age,nodule\na.png,63,1\n', 'a.png': 'x' });
    await expectTypedError(() => openDataset(bad), 'DATASET_INVALID', 'label column "age"');
  });

  it('columns the model does not use are listed; a model label the dataset lacks is DATASET_INVALID naming the columns there are', async () => {
    const root = fixture({ 'm.csv': 'path,nodule,fracture\na.png,1,1\n', 'a.png': 'x' });
    const ds = openDataset(root, { labels: ['nodule'], splitFractions: { train: 1, val: 0, test: 0 } });
    expect(ds.summary.unusedColumns).toEqual(['fracture']);
    await expectTypedError(() => openDataset(root, { labels: ['nodule', 'pneumothorax'] }), 'DATASET_INVALID', 'provide the label "pneumothorax"');
  });

  it('RSNA Pneumonia: several box rows per patient, Target = max, DICOMs named by patientId', async () => {
    const root = fixture({
      'stage_2_train_labels.csv': 'patientId,x,y,width,height,Target\nid-a,,,,,0\nid-b,264,152,213,379,1\nid-b,562,152,256,453,1\nid-c,,,,,0\n',
      'stage_2_train_images/id-a.dcm': 'x',
      'stage_2_train_images/id-b.dcm': 'x',
      'stage_2_train_images/id-c.dcm': 'x',
    });
    expect(detectLayout(root).layout).toBe('rsna-pneumonia');
    const ds = openDataset(root, { splitFractions: { train: 1, val: 0, test: 0 } });
    expect(ds.labels).toEqual(['pneumonia']);
    expect(byName(ds.splits.train)).toEqual({ 'id-a.dcm': [0], 'id-b.dcm': [1], 'id-c.dcm': [0] });
    await expectTypedError(() => openDataset(root, { labels: LABELS }), 'DATASET_INVALID');
  });

  it('NIH ChestX-ray14: pipe-separated findings mapped onto the model labels, PNGs in images_00N/images', async () => {
    const header = 'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]';
    const rows = [
      '00000001_000.png,Cardiomegaly|Effusion,0,1,58,M,PA,2682,2749,0.143,0.143',
      '00000001_001.png,Mass,1,1,58,M,PA,2894,2729,0.143,0.143',
      '00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.168,0.168',
      '00000003_000.png,Pneumothorax|Atelectasis,0,3,74,F,AP,2500,2048,0.168,0.168',
    ];
    // As in the real file, the bracketed unquoted header names split into 11 fields like the rows.
    const root = fixture({
      'Data_Entry_2017.csv': `${header}\n${rows.join('\n')}\n`,
      'images_001/images/00000001_000.png': 'x',
      'images_001/images/00000001_001.png': 'x',
      'images_002/images/00000002_000.png': 'x',
      'images_002/images/00000003_000.png': 'x',
    });
    expect(detectLayout(root).layout).toBe('nih-chestxray14');
    const ds = openDataset(root, { labels: LABELS, splitFractions: { train: 1, val: 0, test: 0 } });
    expect(byName(ds.splits.train)).toEqual({
      '00000001_000.png': [1, 1, 0, 0],
      '00000001_001.png': [0, 0, 0, 1],
      '00000002_000.png': [0, 0, 0, 0],
      '00000003_000.png': [0, 0, 1, 0],
    });
    expect(ds.summary.patients).toBe(3);
    await expectTypedError(() => openDataset(root, { labels: ['fracture'] }), 'DATASET_INVALID', 'fracture');
  });

  it('folder per class: normal folder is all-zero, empty class folder is an error', async () => {
    const root = fixture({ 'normal/n1.png': 'x', 'normal/n2.png': 'x', 'nodule/a.png': 'x', 'cardiomegaly/sub/b.jpg': 'x' });
    expect(detectLayout(root).layout).toBe('folder-per-class');
    const ds = openDataset(root, { splitFractions: { train: 1, val: 0, test: 0 } });
    expect(ds.labels).toEqual(['cardiomegaly', 'nodule']);
    expect(byName(ds.splits.train)).toEqual({ 'n1.png': [0, 0], 'n2.png': [0, 0], 'a.png': [0, 1], 'b.jpg': [1, 0] });
    const empty = fixture({ 'normal/n1.png': 'x', 'nodule/a.png': 'x', 'effusion/readme.txt': 'no images' });
    await expectTypedError(() => openDataset(empty), 'DATASET_INVALID', '"effusion"');
  });

  it('folder per class and manifests take the patient from the DICOM header when the layout names none', async () => {
    const dicom = (patientId: string) =>
      writePart10({
        sopClassUID: '1.2.840.10008.5.1.4.1.1.7',
        sopInstanceUID: '2.25.7',
        transferSyntaxUID: '1.2.840.10008.1.2.1',
        dataset: [
          { tag: 0x00100020, vr: 'LO', value: patientId },
          { tag: 0x00280010, vr: 'US', value: 1 },
          { tag: 0x00280011, vr: 'US', value: 1 },
        ],
        frames: [new Uint16Array(1)],
        rows: 1,
        columns: 1,
        bitsStored: 12,
      });
    const root = fixture({
      'nodule/scan1.dcm': await dicom('ANON-7'),
      'normal/scan2.dcm': await dicom('ANON-7'),
      'normal/scan3.dcm': await dicom(''),
      'normal/photo.png': 'x',
      'm.csv': 'path,nodule\nnodule/scan1.dcm,1\nnormal/scan2.dcm,0\nnormal/photo.png,0\n',
    });
    const patients = (ds: ReturnType<typeof openDataset>) => Object.fromEntries(all(ds).map((r) => [r.path.split('/').pop(), r.patientId]));
    const manifest = openDataset(root);
    expect(manifest.layout).toBe('csv-manifest'); // a manifest at the root wins over class folders
    expect(patients(manifest)).toEqual({ 'scan1.dcm': 'ANON-7', 'scan2.dcm': 'ANON-7', 'photo.png': 'photo' });
    rmSync(join(root, 'm.csv'));
    expect(patients(openDataset(root))).toEqual({ 'scan1.dcm': 'ANON-7', 'scan2.dcm': 'ANON-7', 'scan3.dcm': 'scan3', 'photo.png': 'photo' });
  });

  it('no recognisable layout is DATASET_INVALID', async () => {
    await expectTypedError(() => openDataset(fixture({ 'notes.txt': 'x' })), 'DATASET_INVALID');
    await expectTypedError(() => openDataset('/nonexistent/radlocal'), 'DATASET_INVALID');
  });
});

describe('bad data', () => {
  const lines = Array.from({ length: 14 }, (_, i) => `m${i}.png,${i % 2}`);
  const files: Record<string, string> = { 'm.csv': `path,nodule\n${lines.join('\n')}\nok.png,1\nok2.png,0\n`, 'ok.png': 'x', 'ok2.png': 'x' };

  it('missing files: DATASET_BAD_FILES with the count and the first ten paths', async () => {
    const root = fixture(files);
    const caught = await expectTypedError(() => openDataset(root), 'DATASET_BAD_FILES');
    expect(caught.details).toMatchObject({ count: 14 });
    const details = caught.details as { first: string[] };
    expect(details.first).toHaveLength(10);
    expect(details.first[0]).toBe(join(root, 'm0.png'));
    expect((caught as Error).message).toContain('14 are not');
  });

  it('missing files skipped and reported with skipBad', () => {
    const root = fixture(files);
    const ds = openDataset(root, { skipBad: true, splitFractions: { train: 1, val: 0, test: 0 } });
    expect(ds.summary.examples).toBe(2);
    expect(ds.summary.missing.count).toBe(14);
  });

  it('a label without positives is DATASET_INVALID', async () => {
    const root = fixture({ 'm.csv': 'path,nodule,effusion\na.png,1,0\nb.png,0,0\n', 'a.png': 'x', 'b.png': 'x' });
    await expectTypedError(() => openDataset(root), 'DATASET_INVALID', 'none has: effusion');
  });
});

describe('patient-level stratified split', () => {
  // 400 patients, 1–3 images each, label patterns drawn deterministically.
  const examples: ExampleRef[] = [];
  for (let p = 0; p < 400; p++) {
    const pattern = Uint8Array.from([p % 3 === 0 ? 1 : 0, p % 5 === 0 ? 1 : 0]);
    for (let k = 0; k <= p % 3; k++) examples.push({ path: `/d/${p}_${k}.dcm`, patientId: `P${p}`, labels: pattern });
  }

  it('puts no patient in two splits and keeps every image', () => {
    const s = splitByPatient(examples, { train: 0.7, val: 0.15, test: 0.15 }, 7);
    const owner = new Map<string, string>();
    for (const name of ['train', 'val', 'test'] as const) {
      for (const e of s[name]) {
        expect(owner.get(e.patientId) ?? name).toBe(name);
        owner.set(e.patientId, name);
      }
    }
    expect(s.train.length + s.val.length + s.test.length).toBe(examples.length);
  });

  it('is stratified: each label\'s positives and all images split 70/15/15 to within one patient (≤ 3 images)', () => {
    const s = splitByPatient(examples, { train: 0.7, val: 0.15, test: 0.15 }, 7);
    for (const [name, f] of [['train', 0.7], ['val', 0.15], ['test', 0.15]] as const) {
      expect(Math.abs(s[name].length - f * examples.length)).toBeLessThanOrEqual(3);
      for (const j of [0, 1]) {
        const positives = (refs: ExampleRef[]) => refs.filter((r) => r.labels[j] === 1).length;
        expect(Math.abs(positives(s[name]) - f * positives(examples))).toBeLessThanOrEqual(3);
      }
    }
  });

  it('sampleRefs: all when few, else a seeded sample of distinct examples', () => {
    expect(sampleRefs(examples.slice(0, 5), 10, 1)).toEqual(examples.slice(0, 5));
    const a = sampleRefs(examples, 50, 1);
    expect(new Set(a.map((e) => e.path)).size).toBe(50);
    expect(sampleRefs(examples, 50, 1)).toEqual(a);
    expect(sampleRefs(examples, 50, 2)).not.toEqual(a);
  });

  it('is seeded: same seed same split, another seed another split', () => {
    const ids = (seed: number) => splitByPatient(examples, { train: 0.8, val: 0.1, test: 0.1 }, seed).test.map((e) => e.path);
    expect(ids(3)).toEqual(ids(3));
    expect(ids(3)).not.toEqual(ids(4));
  });

  it('openDataset splits a phantom folder by patient', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `i${i}.dcm,P${Math.floor(i / 2)},${i % 4 === 0 ? 1 : 0},${i % 3 === 0 ? 1 : 0}`);
    const files: Record<string, string> = { 'labels.csv': `file,patient_id,cardiomegaly,nodule\n${rows.join('\n')}\n` };
    for (let i = 0; i < 60; i++) files[`i${i}.dcm`] = 'x';
    const ds = openDataset(fixture(files), { seed: 1 });
    const { train, val, test } = ds.summary.splits;
    expect(train.patients + val.patients + test.patients).toBe(30);
    expect(train.examples + val.examples + test.examples).toBe(60);
    expect(new Set(all(ds).map((e) => e.path)).size).toBe(60);
    expect(val.patients).toBeGreaterThanOrEqual(2);
    expect(test.patients).toBeGreaterThanOrEqual(2);
  });
});
