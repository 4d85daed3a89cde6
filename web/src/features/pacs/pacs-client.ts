/**
 * The page's side of the PACS: DICOMweb requests to this app's own origin (`/dicom-web/…`),
 * which RadLocal's server forwards to the site's PACS with its own credentials. Every failure
 * becomes a typed error: the server's PACS_* code when it answered with one.
 */
import { RadLocalError, isErrorCode } from '../../../../core/errors/radlocal-error.ts';
import { boundaryOf, parseMultipart, stowBody } from '../../shared/dicomweb/multipart.ts';

export interface PacsStatus {
  configured: boolean;
  stow: boolean;
}

/** One attribute of DICOM JSON (PS3.18 §F.2). */
type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

const DICOM_JSON = 'application/dicom+json';
/** The server mounts the proxy at the origin's root (web/build/pacs/dicomweb-proxy.ts). */
const ROOT = '/dicom-web/';

async function failure(response: Response): Promise<RadLocalError> {
  try {
    const body = (await response.json()) as { code?: unknown; message?: unknown };
    if (isErrorCode(body.code)) return new RadLocalError(body.code, String(body.message ?? body.code));
  } catch {
    // not our JSON
  }
  return new RadLocalError('PACS_REFUSED', `The PACS request failed (HTTP ${response.status}).`);
}

async function get(path: string, accept: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${ROOT}${path}`, { headers: { accept }, cache: 'no-store', credentials: 'same-origin' });
  } catch (error) {
    throw new RadLocalError('PACS_UNREACHABLE', 'RadLocal’s server did not answer. Is it still running?', { cause: error });
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export function text(item: DicomJson, tag: string): string {
  const value = item[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'Alphabetic' in (value as object)) return String((value as { Alphabetic?: unknown }).Alphabetic ?? '');
  return String(value);
}

export interface StudyQuery {
  patientName: string;
  patientID: string;
  /** YYYYMMDD or empty. */
  dateFrom: string;
  dateTo: string;
  modality: string;
}

export interface StudyRow {
  studyInstanceUID: string;
  patientName: string;
  patientID: string;
  studyDate: string;
  modalities: string;
  description: string;
  accessionNumber: string;
  instances: number;
}

/** QIDO-RS query parameters for a search (PS3.18 §10.6). */
export function studyQueryParams(query: StudyQuery, offset: number, limit: number): URLSearchParams {
  const params = new URLSearchParams();
  if (query.patientName.trim()) params.set('PatientName', query.patientName.trim().endsWith('*') ? query.patientName.trim() : `${query.patientName.trim()}*`);
  if (query.patientID.trim()) params.set('PatientID', query.patientID.trim());
  if (query.dateFrom || query.dateTo) params.set('StudyDate', `${query.dateFrom}-${query.dateTo}`);
  if (query.modality.trim()) params.set('ModalitiesInStudy', query.modality.trim().toUpperCase());
  params.set('includefield', '00081030,00201208,00080061');
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return params;
}

export async function searchStudies(query: StudyQuery, offset: number, limit: number): Promise<StudyRow[]> {
  const items = (await (await get(`studies?${studyQueryParams(query, offset, limit).toString()}`, DICOM_JSON)).json()) as DicomJson[];
  return items.map((s) => ({
    studyInstanceUID: text(s, '0020000D'),
    patientName: text(s, '00100010'),
    patientID: text(s, '00100020'),
    studyDate: text(s, '00080020'),
    modalities: (s['00080061']?.Value ?? []).map(String).join(', '),
    description: text(s, '00081030'),
    accessionNumber: text(s, '00080050'),
    instances: Number(text(s, '00201208') || 0),
  }));
}

export interface InstanceRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  modality: string;
}

/** The image instances of a study (QIDO-RS); SRs and other non-image objects are left out. */
export async function listInstances(studyInstanceUID: string): Promise<InstanceRef[]> {
  const items = (await (await get(`studies/${studyInstanceUID}/instances?includefield=00080060`, DICOM_JSON)).json()) as DicomJson[];
  return items
    .map((i) => ({ studyInstanceUID, seriesInstanceUID: text(i, '0020000E'), sopInstanceUID: text(i, '00080018'), modality: text(i, '00080060') }))
    .filter((i) => !['SR', 'KO', 'PR', 'DOC'].includes(i.modality));
}

/** The instance's DICOM Part 10 file as stored in the PACS (WADO-RS, any transfer syntax). */
export async function retrieveInstance(ref: InstanceRef): Promise<ArrayBuffer> {
  const r = await get(`studies/${ref.studyInstanceUID}/series/${ref.seriesInstanceUID}/instances/${ref.sopInstanceUID}`, 'multipart/related; type="application/dicom"; transfer-syntax=*');
  const boundary = boundaryOf(r.headers.get('content-type') ?? '');
  const body = new Uint8Array(await r.arrayBuffer());
  const part = boundary ? parseMultipart(body, boundary)[0] : undefined;
  if (!part) throw new RadLocalError('PACS_REFUSED', 'The PACS answered the retrieval without a DICOM part.');
  return part.body.slice().buffer;
}

/** Stores DICOM files in the PACS (STOW-RS); the server must allow it. */
export async function storeInstances(files: readonly Uint8Array[]): Promise<void> {
  const { body, contentType } = stowBody(files);
  let response: Response;
  try {
    response = await fetch(`${ROOT}studies`, { method: 'POST', headers: { 'content-type': contentType, accept: DICOM_JSON }, body: body as Uint8Array<ArrayBuffer>, cache: 'no-store' });
  } catch (error) {
    throw new RadLocalError('PACS_UNREACHABLE', 'RadLocal’s server did not answer. Is it still running?', { cause: error });
  }
  if (!response.ok) throw await failure(response);
}
