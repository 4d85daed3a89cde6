import { describe, expect, it } from 'vitest';
import type { FindingEntry } from '../../shared/findings/findings-store.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import type { PatientGroup } from '../../shared/session/group-studies.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { sortRows, worklistRows } from './worklist-rows.ts';

function file(id: string): OpenedFile {
  return { id, name: id, size: 1, status: 'ready' };
}

function prediction(scores: Record<string, number>, flagged: boolean, positives: string[] = []): Prediction {
  return {
    labels: Object.keys(scores),
    scores,
    logits: {},
    positives,
    thresholds: {},
    ood: { distance: 1, threshold: 2, flagged, reasons: [] },
    timings: { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 0 },
    modelSha256: 'x',
  };
}

function patient(name: string, studyKey: string, fileIds: string[]): PatientGroup {
  return {
    key: name,
    name,
    id: `${name}-id`,
    studies: [
      {
        key: studyKey,
        patientKey: name,
        patientName: name,
        patientId: `${name}-id`,
        description: `study ${studyKey}`,
        date: '20240101',
        series: [{ key: `${studyKey}-s`, description: '', seriesNumber: 1, modality: 'CR', files: fileIds.map(file), frameCount: fileIds.length }],
      },
    ],
  };
}

describe('worklistRows', () => {
  it('takes the top finding over the study, OOD if any image is flagged, done when all images are analysed', () => {
    const findings = new Map<string, FindingEntry>([
      ['a/0', { status: 'done', prediction: prediction({ nodule: 0.2, effusion: 0.7 }, false, ['effusion']) }],
      ['b/0', { status: 'done', prediction: prediction({ nodule: 0.9, effusion: 0.1 }, true, ['nodule']) }],
      ['c/0', { status: 'running' }],
    ]);
    const rows = worklistRows([patient('Ann', 's1', ['a', 'b']), patient('Bob', 's2', ['c'])], findings);
    expect(rows[0]).toMatchObject({ topLabel: 'nodule', topScore: 0.9, ood: true, positives: 2, status: 'done', analysed: 2, images: 2 });
    expect(rows[1]).toMatchObject({ topLabel: undefined, ood: undefined, status: 'analysing', analysed: 0 });
  });

  it('sorts by score descending with unscored rows last, and stably', () => {
    const findings = new Map<string, FindingEntry>([
      ['a/0', { status: 'done', prediction: prediction({ nodule: 0.3 }, false) }],
      ['c/0', { status: 'done', prediction: prediction({ nodule: 0.8 }, false) }],
    ]);
    const rows = worklistRows([patient('Ann', 's1', ['a']), patient('Bob', 's2', ['b']), patient('Cid', 's3', ['c'])], findings);
    expect(sortRows(rows, 'topScore', true).map((r) => r.patient)).toEqual(['Cid', 'Ann', 'Bob']);
    expect(sortRows(rows, 'topScore', false).map((r) => r.patient)).toEqual(['Ann', 'Cid', 'Bob']);
    expect(sortRows(rows, 'patient', true).map((r) => r.patient)).toEqual(['Cid', 'Bob', 'Ann']);
  });

  it('reuses a study’s row while its images and their findings are unchanged, and recomputes it when one changes', () => {
    const patients = [patient('Ann', 'a', ['f1', 'f2']), patient('Bob', 'b', ['f3'])];
    const findings = new Map<string, FindingEntry>([['f1/0', { status: 'done', prediction: prediction({ x: 0.2 }, false) }]]);
    const first = worklistRows(patients, findings);
    const same = worklistRows(patients, new Map(findings));
    expect(same[0]).toBe(first[0]);
    expect(same[1]).toBe(first[1]);
    const later = new Map(findings).set('f2/0', { status: 'done', prediction: prediction({ x: 0.9 }, true) });
    const changed = worklistRows(patients, later);
    expect(changed[0]).not.toBe(first[0]);
    expect(changed[0]).toMatchObject({ topScore: 0.9, ood: true, status: 'done', analysed: 2 });
    expect(changed[1]).toBe(first[1]);
    // Regrouped with new objects but the same files and findings: the row is reused.
    const regrouped = [{ ...(patients[0] as PatientGroup), studies: (patients[0] as PatientGroup).studies.map((st) => ({ ...st })) }, patients[1] as PatientGroup];
    expect(worklistRows(regrouped, later)[0]).toBe(changed[0]);
  });
});
