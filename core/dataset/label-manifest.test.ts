import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/typed-error-code.ts';
import { parseLabelManifest } from './label-manifest.ts';

describe('parseLabelManifest', () => {
  it('reads the phantom labels.csv: path, patient and 0/1 label columns', () => {
    const m = parseLabelManifest('file,patient_id,cardiomegaly,nodule\nimages/PH000001_1.dcm,PH000001,1,0\nimages/b.png,,0,1\n', 'labels.csv');
    expect(m).toMatchObject({ pathColumn: 'file', patientColumn: 'patient_id', viewColumn: undefined, labels: ['cardiomegaly', 'nodule'] });
    expect(m.rows.map((r) => [r.path, r.patientId, Array.from(r.values)])).toEqual([
      ['images/PH000001_1.dcm', 'PH000001', [1, 0]],
      ['images/b.png', undefined, [0, 1]],
    ]);
  });

  it('takes a cell reader and view columns (as the CheXpert-style manifest of radlocal train)', () => {
    const triState = (v: string): number => (v === '' ? -2 : Number(v));
    const m = parseLabelManifest('path,view,edema\na.jpg,PA,-1\nb.jpg,AP,\n', 'm.csv', { parseCell: triState, viewColumns: ['view'] });
    expect(m.labels).toEqual(['edema']);
    expect(m.rows.map((r) => [r.view, r.values[0]])).toEqual([
      ['PA', -1],
      ['AP', -2],
    ]);
  });

  it('refuses a manifest without a path column and a bad 0/1 cell with DATASET_INVALID', async () => {
    const later = (f: () => unknown): Promise<unknown> => Promise.resolve().then(f);
    expect(await codeOf(later(() => parseLabelManifest('name,nodule\na,1\n', 'x.csv')))).toBe('DATASET_INVALID');
    expect(await codeOf(later(() => parseLabelManifest('file,nodule\na,maybe\n', 'x.csv')))).toBe('DATASET_INVALID');
  });
});
