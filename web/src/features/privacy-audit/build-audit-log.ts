/**
 * The exported audit log: what was opened (as sha256 only), which model judged it, every request
 * the app made and the verdict. Built from an explicit allow-list of fields, so pixels, tags,
 * file names and scores cannot end up in it. Pure; unit tested in test/privacy-audit.test.ts.
 */
import type { ModelInfo, NetworkEntry, RequestVerdict, StorageReport } from '../../shared/privacy/audit-types.ts';
import type { CspViolation } from './csp-violations.ts';
import { shownUrl } from './judge-requests.ts';

export const AUDIT_LOG_FORMAT = 'radlocal-audit-log/1';

export interface AuditLogInput {
  now: Date;
  origin: string;
  csp: string | null;
  violations: readonly CspViolation[];
  model: ModelInfo | null;
  openedFileSha256: readonly string[];
  requests: readonly NetworkEntry[];
  verdict: RequestVerdict;
  storage: StorageReport | null;
}

export interface AuditLog {
  format: typeof AUDIT_LOG_FORMAT;
  exportedAt: string;
  origin: string;
  contentSecurityPolicy: string | null;
  blockedByPolicy: { time: string; directive: string; blocked: string }[];
  model: { name: string; version: string; sha256: string; verified: boolean } | null;
  openedFiles: { sha256: string }[];
  requests: { time: string; source: string; method: string | null; url: string; bytes: number | null; kind: string; servedFrom: string | null }[];
  verdict: { studyDataSent: boolean; checked: number; problems: string[]; pathsChecked: boolean; methodUnknown: number; pacsRequests: number };
  storage: { usageBytes: number | null; localStorageKeys: number; sessionStorageKeys: number; indexedDbNames: string[]; cacheNames: string[]; onlyAppAssets: boolean } | null;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function buildAuditLog(input: AuditLogInput): AuditLog {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    format: AUDIT_LOG_FORMAT,
    exportedAt: input.now.toISOString(),
    origin: input.origin,
    contentSecurityPolicy: input.csp,
    blockedByPolicy: input.violations.map((v) => ({ time: iso(v.time), directive: v.directive, blocked: v.blocked })),
    model: input.model && { name: input.model.name, version: input.model.version, sha256: input.model.sha256, verified: input.model.verified },
    // Only well-formed digests: nothing else can ride along in this field.
    openedFiles: [...new Set(input.openedFileSha256)].filter((h) => SHA256.test(h)).map((sha256) => ({ sha256 })),
    requests: input.requests.map((r) => ({ time: iso(r.time), source: r.source, method: r.method, url: shownUrl(r.url), bytes: r.bytes, kind: r.kind, servedFrom: r.servedFrom ?? null })),
    verdict: { studyDataSent: !input.verdict.ok, checked: input.verdict.checked, problems: [...input.verdict.problems], pathsChecked: input.verdict.pathsChecked, methodUnknown: input.verdict.methodUnknown, pacsRequests: input.verdict.pacsRequests },
    storage: input.storage && {
      usageBytes: input.storage.usageBytes,
      localStorageKeys: input.storage.localStorageKeys,
      sessionStorageKeys: input.storage.sessionStorageKeys,
      indexedDbNames: [...input.storage.indexedDbNames],
      cacheNames: [...input.storage.cacheNames],
      onlyAppAssets: input.storage.onlyAppAssets,
    },
  };
}
