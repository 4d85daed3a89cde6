import { describe, expect, it } from 'vitest';
import { judgeDicomwebRequest, redactedPath } from './dicomweb-rules.ts';
import { parseMultipart, stowBody } from './multipart.ts';

const S = '1.2.840.113619.2.1';
const SE = '1.2.3.4';
const I = '1.2.3.4.5';

describe('judgeDicomwebRequest', () => {
  it.each([
    ['GET', 'studies', 'PatientName=DOE*&limit=25', 'qido'],
    ['GET', `studies/${S}/series`, '', 'qido'],
    ['GET', `studies/${S}/series/${SE}/instances`, '', 'qido'],
    ['GET', `studies/${S}/metadata`, '', 'wado'],
    ['GET', `studies/${S}/series/${SE}/instances/${I}`, '', 'wado'],
    ['GET', `studies/${S}/series/${SE}/instances/${I}/frames/1,2`, '', 'wado'],
    ['GET', `studies/${S}/series/${SE}/instances/${I}/bulk/7fe00010`, '', 'wado'],
    ['HEAD', `studies/${S}`, '', 'wado'],
    ['POST', 'studies', '', 'stow'],
    ['POST', `studies/${S}`, '', 'stow'],
  ])('allows %s /%s?%s as %s', (method, path, query, kind) => {
    expect(judgeDicomwebRequest(method, path, query, true)).toEqual({ ok: true, kind });
  });

  it.each([
    ['GET', 'tools/find', ''],
    ['GET', '../tools/reset', ''],
    ['GET', 'instances/abc/file', ''],
    ['GET', 'studies/1.2.3/../../tools', ''],
    ['GET', 'servers', ''],
    ['GET', `studies/${S}/rendered`, ''],
    ['GET', 'studies', 'expand=true&x/y=1'],
    ['DELETE', `studies/${S}`, ''],
    ['PUT', 'studies', ''],
    ['POST', 'studies', 'x=1'],
    ['POST', 'instances', ''],
    ['GET', 'studies/1..2', ''],
  ])('refuses %s /%s?%s', (method, path, query) => {
    expect(judgeDicomwebRequest(method, path, query, true).ok).toBe(false);
  });

  it('refuses STOW unless storing is enabled', () => {
    expect(judgeDicomwebRequest('POST', 'studies', '', false)).toEqual({ ok: false, reason: expect.stringContaining('RADLOCAL_PACS_STOW') });
  });
});

describe('redactedPath', () => {
  it('drops query values that may name a patient, keeps paging', () => {
    expect(redactedPath('/dicom-web/studies?PatientName=M%C3%BCller*&PatientID=123&StudyDate=20200101-&limit=25&offset=50')).toBe(
      '/dicom-web/studies?PatientName=…&PatientID=…&StudyDate=…&limit=25&offset=50',
    );
    expect(redactedPath(`/dicom-web/studies/${S}/metadata`)).toBe(`/dicom-web/studies/${S}/metadata`);
  });
});

describe('multipart', () => {
  it('round-trips a STOW body through the parser, bytes intact (CRLF inside a part too)', () => {
    const a = Uint8Array.from([1, 2, 13, 10, 45, 45, 3]);
    const b = new Uint8Array(1000).map((_, i) => i % 256);
    const { body, contentType } = stowBody([a, b], 'xyz');
    expect(contentType).toBe('multipart/related; type="application/dicom"; boundary=xyz');
    const parts = parseMultipart(body, 'xyz');
    expect(parts.map((p) => [...p.body])).toEqual([[...a], [...b]]);
    expect(parts[0]?.headers['content-type']).toBe('application/dicom');
  });
});
