/**
 * Unit tests for the privacy machinery that needs no browser: the audit verdict, the exported
 * audit log's field allow-list, the storage judgement, the CSP strings and the precache manifest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrecacheManifest } from '../web/build/precache-manifest.ts';
import { injectPolicyMeta } from '../web/build/security-headers-plugin.ts';
import { devCsp, headerCsp, metaCsp, securityHeaders } from '../web/build/security-policy.ts';
import type { NetworkEntry } from '../web/src/shared/privacy/audit-types.ts';
import { buildAuditLog } from '../web/src/features/privacy-audit/build-audit-log.ts';
import { appPathsFromManifest, judgeRequests } from '../web/src/features/privacy-audit/judge-requests.ts';
import { isOnlyAppAssets } from '../web/src/features/privacy-audit/read-storage-report.ts';

const ORIGIN = 'http://127.0.0.1:4173';
const PATHS = appPathsFromManifest(['index.html', 'assets/index-abc.js', 'models/default/model.json'], `${ORIGIN}/`);

function entry(url: string, patch: Partial<NetworkEntry> = {}): NetworkEntry {
  return { time: 1_700_000_000_000, source: 'page', method: null, url, bytes: 100, kind: 'script', ...patch };
}

describe('judgeRequests', () => {
  it('passes GETs of the app’s own files, including the navigation to the root', () => {
    const verdict = judgeRequests(
      [entry(`${ORIGIN}/`, { kind: 'navigation' }), entry(`${ORIGIN}/assets/index-abc.js`), entry(`${ORIGIN}/models/default/model.json`, { source: 'service-worker', method: 'GET', kind: '' })],
      ORIGIN,
      PATHS,
    );
    expect(verdict).toEqual({ ok: true, checked: 3, problems: [], pathsChecked: true, methodUnknown: 0, pacsRequests: 0 });
  });

  it('fails another origin, a POST, a query string, a beacon and an unknown path, one sentence each', () => {
    const verdict = judgeRequests(
      [
        entry('https://telemetry.example/collect'),
        entry(`${ORIGIN}/index.html`, { method: 'POST', source: 'service-worker' }),
        entry(`${ORIGIN}/assets/index-abc.js?patient=DOE`),
        entry(`${ORIGIN}/index.html`, { kind: 'beacon' }),
        entry(`${ORIGIN}/studies/1.2.840.113619.dcm`, { kind: 'fetch' }),
      ],
      ORIGIN,
      PATHS,
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      'https://telemetry.example/collect went to another origin (https://telemetry.example).',
      'POST /index.html could have carried a body.',
      '/assets/index-abc.js carried a query string.',
      'A beacon to /index.html carries a body.',
      "/studies/1.2.840.113619.dcm is not one of the app's own files.",
    ]);
    expect(verdict.methodUnknown).toBe(1);
  });

  it('counts same-origin DICOMweb requests the proxy allows as PACS traffic, fails the others', () => {
    const study = '1.2.840.113619.2.1';
    const verdict = judgeRequests(
      [
        entry(`${ORIGIN}/api/pacs/log`, { kind: 'fetch', method: 'GET', source: 'service-worker' }),
        entry(`${ORIGIN}/dicom-web/studies?PatientName=DOE*&limit=26&offset=0`, { kind: 'fetch' }),
        entry(`${ORIGIN}/dicom-web/studies/${study}/series/1.2/instances/1.2.3`, { kind: 'fetch', method: 'GET', source: 'service-worker' }),
        entry(`${ORIGIN}/dicom-web/studies`, { kind: 'fetch', method: 'POST', source: 'service-worker' }),
        entry(`${ORIGIN}/dicom-web/tools/find`, { kind: 'fetch', method: 'GET', source: 'service-worker' }),
        entry(`${ORIGIN}/dicom-web/studies/${study}`, { kind: 'fetch', method: 'DELETE', source: 'service-worker' }),
        entry(`http://127.0.0.1:8042/dicom-web/studies`, { kind: 'fetch' }),
      ],
      ORIGIN,
      PATHS,
    );
    expect(verdict.pacsRequests).toBe(3);
    expect(verdict.problems).toEqual([
      "/dicom-web/tools/find is not one of the app's own files.",
      'DELETE /dicom-web/studies/1.2.840.113619.2.1 could have carried a body.',
      'http://127.0.0.1:8042/dicom-web/studies went to another origin (http://127.0.0.1:8042).',
    ]);
  });

  it('exports PACS searches without their query values', () => {
    const requests = [entry(`${ORIGIN}/dicom-web/studies?PatientName=M%C3%BCller*&PatientID=123&limit=26`, { kind: 'fetch' })];
    const log = buildAuditLog({ now: new Date(0), origin: ORIGIN, csp: null, violations: [], model: null, openedFileSha256: [], requests, verdict: judgeRequests(requests, ORIGIN, PATHS), storage: null });
    expect(log.requests[0]?.url).toBe(`${ORIGIN}/dicom-web/studies?PatientName=…&PatientID=…&limit=26`);
    expect(JSON.stringify(log)).not.toMatch(/ller|123/);
  });

  it('without the file list (dev server) checks origin and method only, and says so', () => {
    const verdict = judgeRequests([entry(`${ORIGIN}/src/main.tsx`)], ORIGIN, null);
    expect(verdict).toEqual({ ok: true, checked: 1, problems: [], pathsChecked: false, methodUnknown: 0, pacsRequests: 0 });
  });
});

describe('buildAuditLog', () => {
  it('keeps only allow-listed fields: sha256 digests, model identity, requests and verdict', () => {
    const sha = 'a'.repeat(64);
    const verdict = judgeRequests([entry(`${ORIGIN}/index.html`)], ORIGIN, PATHS);
    const log = buildAuditLog({
      now: new Date('2026-11-28T21:00:00Z'),
      origin: ORIGIN,
      csp: "default-src 'self'",
      violations: [{ time: 1_700_000_000_000, directive: 'connect-src', blocked: 'https://x.example' }],
      model: { name: 'chest-phantom', version: '1.0.0', sha256: 'b'.repeat(64), verified: true },
      // A caller mistake must not leak a name or a tag: only well-formed digests survive.
      openedFileSha256: [sha, sha, 'DOE^JOHN', '1.2.840.10008.5.1.4.1.1.2'],
      requests: [entry(`${ORIGIN}/index.html`)],
      verdict,
      storage: { usageBytes: 1234, localStorageKeys: 0, sessionStorageKeys: 0, indexedDbNames: [], cacheNames: ['radlocal-assets-1'], onlyAppAssets: true },
    });
    expect(log.openedFiles).toEqual([{ sha256: sha }]);
    expect(log.exportedAt).toBe('2026-11-28T21:00:00.000Z');
    expect(log.verdict).toEqual({ studyDataSent: false, checked: 1, problems: [], pathsChecked: true, methodUnknown: 0, pacsRequests: 0 });
    expect(log.requests).toEqual([{ time: '2023-11-14T22:13:20.000Z', source: 'page', method: null, url: `${ORIGIN}/index.html`, bytes: 100, kind: 'script', servedFrom: null }]);
    expect(log.blockedByPolicy).toEqual([{ time: '2023-11-14T22:13:20.000Z', directive: 'connect-src', blocked: 'https://x.example' }]);
    expect(Object.keys(log).sort()).toEqual(['blockedByPolicy', 'contentSecurityPolicy', 'exportedAt', 'format', 'model', 'openedFiles', 'origin', 'requests', 'storage', 'verdict']);
    const text = JSON.stringify(log);
    expect(text).not.toContain('DOE');
    expect(text).not.toContain('1.2.840.10008');
  });
});

describe('isOnlyAppAssets', () => {
  const empty = { localStorageKeys: 0, sessionStorageKeys: 0, indexedDbNames: [], cacheNames: ['radlocal-assets-0123'] };
  it('is true for the asset cache alone and false for anything else stored', () => {
    expect(isOnlyAppAssets(empty)).toBe(true);
    expect(isOnlyAppAssets({ ...empty, localStorageKeys: 1 })).toBe(false);
    expect(isOnlyAppAssets({ ...empty, sessionStorageKeys: 1 })).toBe(false);
    expect(isOnlyAppAssets({ ...empty, indexedDbNames: ['studies'] })).toBe(false);
    expect(isOnlyAppAssets({ ...empty, cacheNames: ['radlocal-assets-0123', 'pixels'] })).toBe(false);
  });
});

describe('security policy', () => {
  it('header and meta policies differ only by the header-only frame-ancestors', () => {
    expect(headerCsp()).toBe(`${metaCsp()}; frame-ancestors 'none'`);
    expect(metaCsp()).not.toContain('frame-ancestors');
  });

  it('never allows eval or inline script/style in production', () => {
    for (const policy of [headerCsp(), metaCsp()]) {
      expect(policy).not.toMatch(/(^|\s)'unsafe-eval'/);
      expect(policy).not.toContain("'unsafe-inline'");
      expect(policy).toContain("connect-src 'self';");
      expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    }
  });

  it('allows the dev server’s inline preamble by nonce only', () => {
    const dev = headerCsp(devCsp('abc'));
    expect(dev).toContain("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';");
    expect(dev).toContain("style-src 'self' 'nonce-abc';");
    expect(dev).not.toContain('unsafe-inline');
  });

  it('sends no COEP (no cross-origin isolation) and denies camera and microphone', () => {
    const headers = securityHeaders();
    expect(headers['Cross-Origin-Embedder-Policy']).toBeUndefined();
    expect(headers['Permissions-Policy']).toContain('camera=()');
    expect(headers['Permissions-Policy']).toContain('microphone=()');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
  });

  it('puts the policy right after <meta charset>, before any script', () => {
    const html = '<html><head><meta charset="UTF-8" /><script type="module" src="./a.js"></script></head></html>';
    const out = injectPolicyMeta(html);
    expect(out.indexOf('<meta charset')).toBe(12);
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<script'));
    expect(() => injectPolicyMeta('<html><head></head></html>')).toThrow(/Expected <meta charset>/);
  });
});

describe('createPrecacheManifest', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every served file but the worker, Vite metadata and source maps, and versions by content', () => {
    dir = mkdtempSync(join(tmpdir(), 'radlocal-precache-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, '.vite'));
    mkdirSync(join(dir, 'models', 'default'), { recursive: true });
    for (const [file, text] of [
      ['index.html', '<html>'],
      ['sw.js', 'x'],
      ['assets/a.js', 'a'],
      ['assets/a.js.map', '{}'],
      ['assets/codec.wasm', 'w'],
      ['.vite/manifest.json', '{}'],
      ['models/default/group1-shard1of1.bin', 'weights'],
    ] as const) {
      writeFileSync(join(dir, file), text);
    }
    const first = createPrecacheManifest(dir);
    expect(first.files).toEqual(['assets/a.js', 'assets/codec.wasm', 'index.html', 'models/default/group1-shard1of1.bin', 'precache-manifest.json']);
    expect(first.version).toMatch(/^[0-9a-f]{16}$/);
    writeFileSync(join(dir, 'models/default/group1-shard1of1.bin'), 'weightz');
    expect(createPrecacheManifest(dir).version).not.toBe(first.version);
  });
});

describe('zodJitlessPlugin', () => {
  it('seeds zod’s global config with jitless: true in zod’s own core.js', async () => {
    const { readFileSync } = await import('node:fs');
    const { zodJitlessPlugin } = await import('../web/build/zod-jitless-plugin.ts');
    const path = join(import.meta.dirname, '..', 'node_modules', 'zod', 'v4', 'core', 'core.js');
    const plugin = zodJitlessPlugin();
    const transform = plugin.transform as (this: unknown, code: string, id: string) => { code: string } | null;
    const context = { error: (message: string) => { throw new Error(message); } };
    const out = transform.call(context, readFileSync(path, 'utf8'), path);
    expect(out?.code).toContain('(_a.__zod_globalConfig = { jitless: true })');
    expect(transform.call(context, 'export const x = 1;', '/x/other.js')).toBeNull();
    expect(() => transform.call(context, 'changed', path)).toThrow(/zod changed/);
  });
});
