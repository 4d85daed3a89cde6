/**
 * Phantom dataset end to end: every generated file decodes with the project's own core to
 * exactly the pixels the generator made, carries the promised attributes, and its labels
 * are what the generator's geometry says; same seed → byte-identical files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import type { DecodedImage } from '../core/dicom/decoded-image.ts';
import { decodeImageFile } from '../core/image/decode-image-file.ts';
import { DEFAULT_PREPROCESS_PARAMS } from '../core/preprocess/params.ts';
import { preprocessFrame } from '../core/preprocess/preprocess-frame.ts';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { DEFAULT_PREVALENCE, parsePrevalence, PHANTOM_LABELS } from '../training/src/synth/findings.ts';
import { generatePhantom, planPatients } from '../training/src/synth/generate-phantom.ts';
import { synthDataset, type SynthSummary } from '../training/src/synth/synth-dataset.ts';
import { expectTypedError } from './typed-error-code.ts';

const SIZE = 256;
const COUNT = 40;
const SEED = 11;
const root = mkdtempSync(join(tmpdir(), 'radlocal-synth-'));
const dirA = join(root, 'a');
let summary: SynthSummary;
const decoded = new Map<string, DecodedImage>();
let rows: Record<string, string>[] = [];
let truth: { file: string; ctr: number; labels: Record<string, number>; effusion: { right: number; left: number }; nodules: { diameterMm: number }[] }[] = [];

beforeAll(async () => {
  summary = await synthDataset({ out: dirA, count: COUNT, seed: SEED, size: SIZE, prevalence: DEFAULT_PREVALENCE, png: false, preview: join(root, 'preview.png'), workers: 0 });
  const lines = readFileSync(join(dirA, 'labels.csv'), 'utf8').trim().split('\n');
  const header = (lines[0] as string).split(',');
  rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
  truth = readFileSync(join(dirA, 'truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const row of rows) decoded.set(row.file as string, await decodeDicom(new Uint8Array(readFileSync(join(dirA, row.file as string)))));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('radlocal synth output', () => {
  it('writes labels.csv with the contract header, one row per image, several images for some patients', () => {
    expect(readFileSync(join(dirA, 'labels.csv'), 'utf8').split('\n')[0]).toBe('file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule');
    expect(rows).toHaveLength(COUNT);
    expect(readdirSync(join(dirA, 'images'))).toHaveLength(COUNT);
    const perPatient = new Map<string, number>();
    for (const r of rows) perPatient.set(r.patient_id as string, (perPatient.get(r.patient_id as string) ?? 0) + 1);
    expect(Math.max(...perPatient.values())).toBeGreaterThan(1);
    expect(summary.patients).toBe(perPatient.size);
  });

  it('every file decodes with core/dicom to exactly the generator pixels', () => {
    const patients = planPatients(COUNT, SEED, DEFAULT_PREVALENCE);
    let k = 0;
    for (const p of patients) {
      for (let j = 0; j < p.images; j++, k++) {
        const image = decoded.get(rows[k]?.file as string) as DecodedImage;
        const expected = generatePhantom(p, j, SEED, SIZE).stored;
        expect(image.rows).toBe(SIZE);
        expect(image.columns).toBeLessThanOrEqual(SIZE);
        expect(image.frames[0]?.length).toBe(SIZE * image.columns);
        expect(Buffer.from((image.frames[0] as Uint16Array).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    }
  });

  it('carries real CR/DX attributes with the promised variety', () => {
    const seen = { modality: new Set<string>(), photometric: new Set<string>(), ts: new Set<string>(), bits: new Set<number>() };
    decoded.forEach((image, file) => {
      const row = rows.find((r) => r.file === file) as Record<string, string>;
      expect(['CR', 'DX']).toContain(image.modality);
      expect(image.bodyPartExamined).toBe('CHEST');
      expect(['PA', 'AP']).toContain(image.viewPosition);
      expect(image.bitsStored).toBeGreaterThanOrEqual(10);
      expect(image.bitsStored).toBeLessThanOrEqual(16);
      expect(image.sopInstanceUID).toMatch(/^2\.25\.[1-9]\d*$/);
      expect(image.studyInstanceUID).toMatch(/^2\.25\./);
      expect(image.sopInstanceUID!.length).toBeLessThanOrEqual(64);
      const spacing = image.pixelSpacing as [number, number];
      expect(spacing[0]).toBe(spacing[1]);
      expect(spacing[0] * SIZE).toBeGreaterThanOrEqual(339);
      expect(spacing[0] * SIZE).toBeLessThanOrEqual(431);
      expect(image.tags['00100020']).toBe(row.patient_id);
      expect(image.tags['00100010']).toMatch(/^[A-Z]+\^[A-Z]+$/); // synthetic PatientName
      const max = Math.max(...(image.frames[0] as Uint16Array));
      expect(max).toBeLessThanOrEqual(2 ** image.bitsStored - 1);
      seen.modality.add(image.modality as string);
      seen.photometric.add(image.photometricInterpretation);
      seen.ts.add(image.transferSyntaxUID as string);
      seen.bits.add(image.bitsStored);
    });
    expect([...seen.modality].sort()).toEqual(['CR', 'DX']);
    expect([...seen.photometric].sort()).toEqual(['MONOCHROME1', 'MONOCHROME2']);
    expect(seen.ts.has('1.2.840.10008.1.2.1') && seen.ts.has('1.2.840.10008.1.2.5')).toBe(true);
    expect(seen.ts.size).toBeGreaterThanOrEqual(3);
    expect(seen.bits.size).toBeGreaterThanOrEqual(3);
    expect([...decoded.values()].some((image) => image.columns < image.rows)).toBe(true); // portrait crops
    expect([...decoded.values()].some((image) => image.columns === image.rows)).toBe(true);
  });

  it('labels follow the generator geometry: CTR > 0.5 exactly for cardiomegaly, nodules 5–30 mm', () => {
    expect(truth).toHaveLength(COUNT);
    truth.forEach((t, i) => {
      const row = rows[i] as Record<string, string>;
      expect(t.file).toBe(row.file);
      for (const l of PHANTOM_LABELS) expect(String(t.labels[l])).toBe(row[l]);
      expect(t.ctr > 0.5).toBe(row.cardiomegaly === '1');
      expect(t.effusion.right > 0 || t.effusion.left > 0).toBe(row.pleural_effusion === '1');
      expect(t.nodules.length > 0).toBe(row.nodule === '1');
      for (const n of t.nodules) {
        expect(n.diameterMm).toBeGreaterThanOrEqual(5);
        expect(n.diameterMm).toBeLessThanOrEqual(30);
      }
    });
    for (const l of PHANTOM_LABELS) expect(summary.positives[l]).toBeGreaterThan(0);
  });

  it('preprocesses every file to a finite 128² input in [0, 1]', () => {
    decoded.forEach((image) => {
      const input = preprocessFrame(image, 0, DEFAULT_PREPROCESS_PARAMS);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of input.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi - lo).toBeGreaterThan(0.5); // real contrast, not a flat image
    });
  });

  it('opens as a phantom dataset with a patient-level split', () => {
    const ds = openDataset(dirA, { seed: 1 });
    expect(ds.layout).toBe('phantom');
    expect(ds.labels).toEqual([...PHANTOM_LABELS]);
    expect(ds.summary.examples).toBe(COUNT);
  });

  it('is byte-identical for the same seed (worker threads vs in-process) and different for another seed', async () => {
    const dirB = join(root, 'b');
    await synthDataset({ out: dirB, count: COUNT, seed: SEED, size: SIZE, prevalence: DEFAULT_PREVALENCE, png: false, preview: undefined, workers: 2 });
    for (const name of ['labels.csv', 'truth.jsonl', ...rows.map((r) => r.file as string)]) {
      expect(readFileSync(join(dirB, name)).equals(readFileSync(join(dirA, name)))).toBe(true);
    }
    const dirC = join(root, 'c');
    await synthDataset({ out: dirC, count: 3, seed: SEED + 1, size: SIZE, prevalence: DEFAULT_PREVALENCE, png: false, preview: undefined, workers: 0 });
    expect(readFileSync(join(dirC, 'images', 'PH000001_1.dcm')).equals(readFileSync(join(dirA, 'images', 'PH000001_1.dcm')))).toBe(false);
  });

  it('writes a labelled preview montage (PNG, 4 columns × 3 rows of 256-px tiles)', async () => {
    const png = await decodeImageFile(new Uint8Array(readFileSync(join(root, 'preview.png'))));
    expect(png.columns).toBe(4 * 256 + 5 * 4);
    expect(png.samplesPerPixel).toBe(3);
  });
});

describe('synth options', () => {
  it('--png writes 8-bit grey PNGs that decode with core/image', async () => {
    const dir = join(root, 'png');
    await synthDataset({ out: dir, count: 2, seed: 3, size: 128, prevalence: DEFAULT_PREVALENCE, png: true, preview: undefined, workers: 0 });
    const image = await decodeImageFile(new Uint8Array(readFileSync(join(dir, 'images', 'PH000001_1.png'))));
    expect([image.source, image.rows, image.bitsStored, image.samplesPerPixel]).toEqual(['png', 128, 8, 1]);
    expect(image.columns).toBe(generatePhantom(planPatients(2, 3, DEFAULT_PREVALENCE)[0]!, 0, 3, 128).columns);
    expect(readFileSync(join(dir, 'labels.csv'), 'utf8')).toContain('images/PH000001_1.png,PH000001,');
  });

  it('prevalence 0 gives no findings, 1 gives every finding', async () => {
    const none = planPatients(30, 5, parsePrevalence('cardiomegaly=0,pleural_effusion=0,pneumothorax=0,nodule=0'));
    const all = planPatients(30, 5, parsePrevalence('cardiomegaly=1,pleural_effusion=1,pneumothorax=1,nodule=1'));
    for (const p of none) expect([p.findings.cardiomegaly, p.findings.pneumothorax, p.findings.nodules.length, p.findings.effusion.left + p.findings.effusion.right]).toEqual([false, undefined, 0, 0]);
    for (const p of all) {
      expect(p.findings.ctr).toBeGreaterThan(0.5);
      expect(p.findings.pneumothorax).toBeDefined();
      expect(p.findings.nodules.length).toBeGreaterThan(0);
    }
  });

  it('rejects a malformed --prevalence with CLI_USAGE', async () => {
    await expectTypedError(() => parsePrevalence('cardiomegaly=2'), 'CLI_USAGE');
    await expectTypedError(() => parsePrevalence('fracture=0.1'), 'CLI_USAGE');
  });
});
