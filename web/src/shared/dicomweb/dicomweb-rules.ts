/**
 * What RadLocal's server forwards to the PACS: DICOMweb only (PS3.18) — QIDO-RS searches and
 * WADO-RS retrievals with GET, STOW-RS with POST when storing is enabled — never the PACS's
 * other endpoints (an Orthanc's /tools, /instances, /modalities…). Pure; unit tested.
 */

export type DicomwebKind = 'qido' | 'wado' | 'stow';

export type RuleVerdict = { ok: true; kind: DicomwebKind } | { ok: false; reason: string };

/** The same-origin prefix the page uses. */
export const PROXY_PREFIX = '/dicom-web/';

const UID = '[0-9]+(?:\\.[0-9]+)*';
const STUDY = `studies/${UID}`;
const SERIES = `${STUDY}/series/${UID}`;
const INSTANCE = `${SERIES}/instances/${UID}`;

const GET_RULES: ReadonlyArray<readonly [RegExp, DicomwebKind]> = [
  [/^(studies|series|instances)$/, 'qido'],
  [new RegExp(`^${STUDY}/(series|instances)$`), 'qido'],
  [new RegExp(`^${SERIES}/instances$`), 'qido'],
  [new RegExp(`^(${STUDY}|${SERIES}|${INSTANCE})(/metadata)?$`), 'wado'],
  [new RegExp(`^${INSTANCE}/frames/[1-9][0-9]*(,[1-9][0-9]*)*$`), 'wado'],
  [new RegExp(`^${INSTANCE}/bulk/[0-9a-fA-F]{8}(/[0-9]+/[0-9a-fA-F]{8})*$`), 'wado'],
];
const STOW_RULE = new RegExp(`^(studies|${STUDY})$`);

/** QIDO query keys: attribute keywords or tags (optionally dotted for sequences) and the QIDO options. */
const QUERY_KEY = /^(?:[A-Za-z][A-Za-z0-9]*|[0-9A-Fa-f]{8})(?:\.(?:[A-Za-z][A-Za-z0-9]*|[0-9A-Fa-f]{8}))*$/;
/** Query parameters whose values say nothing about a patient (kept in logs). */
const NEUTRAL_KEYS = new Set(['limit', 'offset', 'fuzzymatching', 'includefield']);

/**
 * @param method the HTTP method
 * @param path the path after PROXY_PREFIX, without query (e.g. "studies/1.2.3/metadata")
 * @param query the query string without "?"
 */
export function judgeDicomwebRequest(method: string, path: string, query: string, stowEnabled: boolean): RuleVerdict {
  if (path.length > 512 || query.length > 4096) return { ok: false, reason: 'the address is too long' };
  for (const key of new URLSearchParams(query).keys()) {
    if (!QUERY_KEY.test(key)) return { ok: false, reason: `"${key.slice(0, 40)}" is not a DICOMweb query parameter` };
  }
  if (method === 'GET' || method === 'HEAD') {
    const rule = GET_RULES.find(([pattern]) => pattern.test(path));
    return rule ? { ok: true, kind: rule[1] } : { ok: false, reason: `/${path.slice(0, 80)} is not a DICOMweb search or retrieval` };
  }
  if (method === 'POST') {
    if (!STOW_RULE.test(path) || query !== '') return { ok: false, reason: `POST is allowed only to store results (STOW-RS /studies)` };
    return stowEnabled ? { ok: true, kind: 'stow' } : { ok: false, reason: 'storing results in the PACS is switched off (RADLOCAL_PACS_STOW)' };
  }
  return { ok: false, reason: `${method} is not forwarded` };
}

/**
 * A request line for logs and the privacy panel: the path, and query keys with their values
 * removed (a search for a patient's name must not write the name into a log), except for
 * limit/offset/fuzzymatching/includefield.
 */
export function redactedPath(pathAndQuery: string): string {
  const at = pathAndQuery.indexOf('?');
  if (at < 0) return pathAndQuery;
  const params = new URLSearchParams(pathAndQuery.slice(at + 1));
  const parts = [...params.entries()].map(([key, value]) => `${encodeURIComponent(key)}=${NEUTRAL_KEYS.has(key) ? encodeURIComponent(value) : '…'}`);
  return `${pathAndQuery.slice(0, at)}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
}
