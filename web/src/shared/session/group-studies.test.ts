import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import { frameAt, groupStudies } from './group-studies.ts';
import type { OpenedFile } from './opened-file.ts';

function file(id: string, uids: { study?: string; series?: string }, tags: Record<string, string>, frames = 1): OpenedFile {
  const image = {
    source: 'dicom',
    studyInstanceUID: uids.study,
    seriesInstanceUID: uids.series,
    modality: 'CR',
    numberOfFrames: frames,
    tags,
  } as unknown as DecodedImage; // only the fields grouping reads
  return { id, name: `${id}.dcm`, size: 1, status: 'ready', image };
}

describe('groupStudies', () => {
  it('groups by patient, study and series UID, orders images by InstanceNumber and series by SeriesNumber', () => {
    const files: OpenedFile[] = [
      file('a', { study: '1.1', series: '1.1.2' }, { '00100020': 'P1', '00100010': 'DOE^JANE', '00200011': '2', '00200013': '3' }),
      file('b', { study: '1.1', series: '1.1.2' }, { '00100020': 'P1', '00100010': 'DOE^JANE', '00200011': '2', '00200013': '1' }, 4),
      file('c', { study: '1.1', series: '1.1.1' }, { '00100020': 'P1', '00100010': 'DOE^JANE', '00200011': '1' }),
      file('d', { study: '2.1', series: '2.1.1' }, { '00100020': 'P2' }),
      { id: 'e', name: 'broken.dcm', size: 1, status: 'error', error: { code: 'DICOM_TRUNCATED', message: 'x' } },
    ];
    const patients = groupStudies(files);
    expect(patients.map((p) => [p.id, p.name])).toEqual([
      ['P1', 'DOE JANE'],
      ['P2', '(no name)'],
    ]);
    const study = patients[0]?.studies[0];
    expect(study?.series.map((s) => s.key)).toEqual(['series:1.1.1', 'series:1.1.2']);
    const series = study?.series[1];
    expect(series?.files.map((f) => f.id)).toEqual(['b', 'a']);
    expect(series?.frameCount).toBe(5);
    if (!series) return;
    expect([0, 3, 4].map((i) => frameAt(series, i)).map((x) => [x?.file.id, x?.frame])).toEqual([
      ['b', 0],
      ['b', 3],
      ['a', 0],
    ]);
    expect(frameAt(series, 5)).toBeUndefined();
  });

  it('gives files without UIDs (PNG, JPEG) a study and series of their own', () => {
    const patients = groupStudies([file('x', {}, {}), file('y', {}, {})]);
    expect(patients.flatMap((p) => p.studies).length).toBe(2);
  });
});
