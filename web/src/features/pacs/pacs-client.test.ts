import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf } from '../../../../test/typed-error-code.ts';
import { stowBody } from '../../shared/dicomweb/multipart.ts';
import { retrieveInstance, searchStudies, studyQueryParams } from './pacs-client.ts';

const EMPTY = { patientName: '', patientID: '', dateFrom: '', dateTo: '', modality: '' };
const REF = { studyInstanceUID: '1.2', seriesInstanceUID: '1.2.3', sopInstanceUID: '1.2.3.4', modality: 'CR' };

afterEach(() => vi.unstubAllGlobals());

describe('studyQueryParams', () => {
  it('builds QIDO-RS parameters: name prefix match, date range, modality, paging', () => {
    const p = studyQueryParams({ patientName: 'Doe', patientID: ' PH1 ', dateFrom: '20240101', dateTo: '', modality: 'cr' }, 50, 26);
    expect(Object.fromEntries(p)).toEqual({
      PatientName: 'Doe*',
      PatientID: 'PH1',
      StudyDate: '20240101-',
      ModalitiesInStudy: 'CR',
      includefield: '00081030,00201208,00080061',
      limit: '26',
      offset: '50',
    });
    expect(Object.keys(Object.fromEntries(studyQueryParams(EMPTY, 0, 25)))).toEqual(['includefield', 'limit', 'offset']);
  });
});

describe('typed errors from the server', () => {
  it('keeps the server’s PACS_* code, and says PACS_UNREACHABLE when the server does not answer', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: 'PACS_AUTH_FAILED', message: 'no' }), { status: 502 }));
    expect(await codeOf(searchStudies(EMPTY, 0, 25))).toBe('PACS_AUTH_FAILED');
    vi.stubGlobal('fetch', async () => new Response('<html>', { status: 500 }));
    expect(await codeOf(searchStudies(EMPTY, 0, 25))).toBe('PACS_REFUSED');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await codeOf(searchStudies(EMPTY, 0, 25))).toBe('PACS_UNREACHABLE');
  });

  it('retrieves the Part 10 bytes from a multipart answer, and refuses an answer without a part', async () => {
    const file = new Uint8Array(300).map((_, i) => (i * 7) % 256);
    const { body, contentType } = stowBody([file], 'b0undary');
    vi.stubGlobal('fetch', async () => new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }));
    expect([...new Uint8Array(await retrieveInstance(REF))]).toEqual([...file]);
    vi.stubGlobal('fetch', async () => new Response('x', { headers: { 'content-type': 'application/dicom' } }));
    expect(await codeOf(retrieveInstance(REF))).toBe('PACS_REFUSED');
  });
});
