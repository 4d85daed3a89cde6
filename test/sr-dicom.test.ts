/**
 * DICOM SR of RadLocal's findings (core/sr): written by `radlocal predict --sr` for real
 * reference files and phantoms, checked by the reference tools (dciodvfy: 0 errors; dsrdump
 * reads it) and read back with dicom-parser: the scores in the SR are exactly the scores of
 * `predict --json`, the patient/study attributes and the referenced image are the source's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { encode } from 'fast-png';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../core/image/decode-image-file.ts';
import { writeSr } from '../core/sr/build-sr.ts';
import { predictionSr } from '../core/sr/prediction-sr.ts';
import { srSourceOf } from '../core/sr/sr-source.ts';
import { codeOf } from './typed-error-code.ts';
import { pydicomDir, REPO_ROOT } from './fixtures/external-fixtures.ts';
import { dciodvfy } from './helpers/dciodvfy.ts';
import { dsrdump, flatten, measurementGroup, readSr } from './sr-read.ts';

const BIN = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const MODEL = join(REPO_ROOT, 'models', 'chest-phantom');
const root = mkdtempSync(join(tmpdir(), 'radlocal-sr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface PredictLine {
  file: string;
  ok: boolean;
  scores: Record<string, number>;
  positives: string[];
  ood: { flagged: boolean; distance: number; threshold: number; reasons: string[] };
  modelSha256: string;
  sr?: { file: string } | { error: { code: string } };
}

describe('radlocal predict --sr', () => {
  let lines: PredictLine[] = [];
  const inputs: string[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [BIN, 'synth', '--out', join(root, 'phantoms'), '--count', '2', '--seed', '31', '--size', '256'], { encoding: 'utf8' });
    inputs.push(join(root, 'phantoms', 'images', 'PH000001_1.dcm'), join(pydicomDir(), 'CT_small.dcm'), join(pydicomDir(), 'MR_small.dcm'));
    // A PNG has no study to report into: scored, but no SR.
    writeFileSync(join(root, 'picture.png'), encode({ width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64).map((_, i) => i % 251) }));
    inputs.push(join(root, 'picture.png'));
    const run = spawnSync(process.execPath, [BIN, 'predict', '--model', MODEL, '--json', '--sr', join(root, 'sr'), ...inputs], { encoding: 'utf8' });
    if (run.stdout.trim() === '') throw new Error(`Expected radlocal predict to print one line per file, but it printed nothing: ${run.stderr}`);
    lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as PredictLine);
  }, 300_000);

  it('writes one SR per DICOM that dciodvfy accepts with 0 errors and dsrdump reads', async () => {
    const written = lines.filter((l) => l.sr && 'file' in l.sr);
    expect(written.map((l) => l.file)).toEqual(inputs.slice(0, 3));
    for (const line of written) {
      const file = (line.sr as { file: string }).file;
      expect(existsSync(file)).toBe(true);
      const check = await dciodvfy(file);
      expect(check.errors, `${file}: ${check.errors.join('\n')}`).toEqual([]);
      // Warnings allowed: only that the private coding scheme 99RADLOCAL is not a standard defined term.
      expect(check.warnings.filter((w) => !w.includes('99RADLOCAL'))).toEqual([]);
      const dump = dsrdump(file);
      expect(dump.status).toBe(0);
      expect(dump.stdout).toContain('Comprehensive SR Document');
      expect(dump.stdout).toContain('"Imaging Measurement Report"');
      expect(dump.stderr).not.toMatch(/^E:/m);
    }
  });

  it('refuses the SR, not the scores, for a PNG', () => {
    const png = lines[3];
    expect(png?.ok).toBe(true);
    expect(png?.sr && 'error' in png.sr ? png.sr.error.code : 'none').toBe('DICOM_INVALID_ATTRIBUTE');
  });

  it('holds exactly the scores, thresholds, OOD verdict and model of predict --json, and the source image', async () => {
    const card = JSON.parse(readFileSync(join(MODEL, 'model-card.json'), 'utf8')) as { name: string; version: string; labels: string[] };
    for (const line of lines.slice(0, 3)) {
      const bytes = new Uint8Array(readFileSync((line.sr as { file: string }).file));
      const { dataSet, root: tree } = readSr(bytes);
      const source = await decodeImageFile(new Uint8Array(readFileSync(line.file)));
      // Source patient/study attributes, a new SOP instance in a new series.
      for (const tag of ['x00100010', 'x00100020', 'x0020000d', 'x00080050', 'x00080020']) {
        expect(dataSet.string(tag) ?? '', tag).toBe((source.tags[tag.slice(1)] ?? '').trim());
      }
      expect(dataSet.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33');
      expect(dataSet.string('x00080018')).toMatch(/^2\.25\.\d+$/);
      expect(dataSet.string('x0020000e')).not.toBe(source.seriesInstanceUID);
      expect(dataSet.string('x00080060')).toBe('SR');
      const template = dataSet.elements.x0040a504?.items?.[0]?.dataSet;
      expect(template?.string('x0040db00')).toBe('1500');
      // Referenced image everywhere an IMAGE item appears, and in the evidence sequence.
      const images = flatten(tree).filter((i) => i.valueType === 'IMAGE');
      expect(images.length).toBe(1 + 1 + card.labels.length);
      for (const image of images) expect(image.referencedSOPInstanceUID).toBe(source.sopInstanceUID);
      // Per finding: the calibrated score at full precision, the threshold, positive/negative.
      for (const label of card.labels) {
        const group = measurementGroup(tree, label);
        expect(group, label).toBeDefined();
        const score = group?.children.find((c) => c.name === 'Calibrated probability');
        expect(score?.value).toBe(line.scores[label]);
        expect(Math.abs(Number(score?.numericText) - (line.scores[label] ?? NaN))).toBeLessThan(1e-9);
        const verdict = group?.children.find((c) => c.valueType === 'CODE' && c.name !== 'Finding');
        expect(verdict?.value).toBe(line.positives.includes(label) ? 'Positive' : 'Negative');
        expect(group?.children.find((c) => c.name === 'Algorithm Name')?.value).toBe(card.name);
        expect(group?.children.find((c) => c.name === 'Algorithm Version')?.value).toBe(card.version);
        expect(group?.children.find((c) => c.name === 'Algorithm Parameters')?.value).toBe(`model sha256 ${line.modelSha256}`);
      }
      const ood = measurementGroup(tree, 'distribution-check');
      expect(ood?.children.find((c) => c.name === 'Out of the training distribution')?.value).toBe(line.ood.flagged ? 'Yes' : 'No');
      expect(ood?.children.find((c) => c.name === 'Out-of-distribution score')?.value).toBe(line.ood.distance);
      expect(ood?.children.find((c) => c.name === 'Out-of-distribution threshold')?.value).toBe(line.ood.threshold);
      expect(ood?.children.filter((c) => c.name === 'Reason').map((c) => c.value)).toEqual(line.ood.reasons);
    }
  });
});

describe('writeSr', () => {
  const prediction = {
    labels: ['nodule'],
    scores: { nodule: 0.25 },
    thresholds: { nodule: 0.5 },
    positives: [],
    ood: { distance: 3, threshold: 4, flagged: false, reasons: [] },
    modelSha256: 'f'.repeat(64),
  };
  const image = { tags: { '00100010': 'Müller^Jürgen', '00100020': 'ID-1' }, studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1', sopInstanceUID: '1.2.3.4.5' };

  it('writes non-ASCII names as UTF-8 under ISO_IR 192, and a new SOP instance every time', () => {
    const a = predictionSr(image, prediction, { model: { name: 'm', version: '1' }, now: new Date('2026-01-02T03:04:05Z') });
    const b = predictionSr(image, prediction, { model: { name: 'm', version: '1' }, now: new Date('2026-01-02T03:04:05Z') });
    expect(a.sopInstanceUID).not.toBe(b.sopInstanceUID);
    const { dataSet } = readSr(a.bytes);
    expect(dataSet.string('x00080005')).toBe('ISO_IR 192');
    const name = dataSet.elements.x00100010;
    expect(new TextDecoder().decode(a.bytes.subarray(name?.dataOffset, (name?.dataOffset ?? 0) + (name?.length ?? 0))).trim()).toBe('Müller^Jürgen');
    expect(dataSet.string('x00080023')).toBe('20260102');
    expect(dataSet.string('x00080033')).toBe('030405');
  });

  it('refuses an image without study identity (DICOM_INVALID_ATTRIBUTE)', async () => {
    const noStudy = { ...image, studyInstanceUID: undefined };
    expect(await codeOf(Promise.resolve().then(() => srSourceOf(noStudy)))).toBe('DICOM_INVALID_ATTRIBUTE');
    const badUid = { ...image, sopInstanceUID: '1.2.abc' };
    expect(await codeOf(Promise.resolve().then(() => writeSr({ source: srSourceOf(badUid), findings: [], ood: prediction.ood, model: { name: 'm', version: '1', sha256: 'f'.repeat(64) }, softwareVersion: 'x', now: new Date() })))).toBe('DICOM_INVALID_ATTRIBUTE');
  });
});
