/**
 * The same-origin DICOMweb proxy (web/build/pacs) against a real Orthanc with authentication:
 * searches and retrievals pass with URLs rewritten to the proxy's origin, every other path and
 * method is refused before it reaches the PACS, STOW only when enabled, and each failure has
 * its typed code (not configured, unreachable, timeout, wrong credentials). The log holds no
 * query values.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebProxy, type DicomwebProxy } from '../web/build/pacs/dicomweb-proxy.ts';
import { readPacsConfig, type PacsConfig } from '../web/build/pacs/pacs-config.ts';
import { boundaryOf, parseMultipart, stowBody } from '../web/src/shared/dicomweb/multipart.ts';
import { writeSr } from '../core/sr/build-sr.ts';
import { pydicomDir } from './fixtures/external-fixtures.ts';
import { orthancAvailable, startOrthanc, type OrthancServer } from './pacs/orthanc.ts';

interface Proxy {
  url: string;
  proxy: DicomwebProxy;
  close(): Promise<void>;
}

async function serve(config: PacsConfig | null): Promise<Proxy> {
  const proxy = createDicomwebProxy(config, () => undefined);
  const server: Server = createServer((req, res) =>
    proxy.middleware(req, res, () => {
      res.statusCode = 404;
      res.end('static');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, proxy, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function config(orthanc: OrthancServer, overrides: Record<string, string> = {}): PacsConfig {
  const parsed = readPacsConfig({ RADLOCAL_PACS_URL: orthanc.dicomWebUrl, RADLOCAL_PACS_USER: orthanc.user, RADLOCAL_PACS_PASSWORD: orthanc.password, ...overrides });
  if (!parsed) throw new Error('expected a config');
  return parsed;
}

const CT = join(pydicomDir(), 'CT_small.dcm');
const STUDY_OF_CT = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';

describe.skipIf(!orthancAvailable())('DICOMweb proxy against Orthanc', () => {
  let orthanc: OrthancServer;
  let proxied: Proxy;
  const ctBytes = new Uint8Array(readFileSync(CT));

  beforeAll(async () => {
    orthanc = await startOrthanc();
    await orthanc.upload(ctBytes);
    proxied = await serve(config(orthanc));
  }, 60_000);
  afterAll(async () => {
    await proxied?.close();
    await orthanc?.stop();
  });

  it('forwards a QIDO search with the server’s credentials and rewrites RetrieveURL to its own origin', async () => {
    const r = await fetch(`${proxied.url}/dicom-web/studies?PatientName=CompressedSamples*&includefield=00081190`, { headers: { accept: 'application/dicom+json' } });
    expect(r.status).toBe(200);
    const text = await r.text();
    const studies = JSON.parse(text) as Record<string, { Value?: unknown[] }>[];
    expect(studies.map((s) => s['0020000D']?.Value?.[0])).toEqual([STUDY_OF_CT]);
    expect(studies[0]?.['00081190']?.Value?.[0]).toBe(`${proxied.url}/dicom-web/studies/${STUDY_OF_CT}`);
    expect(text).not.toContain(`:${orthanc.port}`);
    // The security-relevant headers of the PACS do not come through; only the content type.
    expect(r.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
    expect(r.headers.get('www-authenticate')).toBeNull();
  });

  it('retrieves the stored instance over WADO-RS byte for byte', async () => {
    const series = (await (await fetch(`${proxied.url}/dicom-web/studies/${STUDY_OF_CT}/instances`, { headers: { accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: string[] }>[];
    const seriesUid = series[0]?.['0020000E']?.Value?.[0];
    const sopUid = series[0]?.['00080018']?.Value?.[0];
    const r = await fetch(`${proxied.url}/dicom-web/studies/${STUDY_OF_CT}/series/${seriesUid}/instances/${sopUid}`, {
      headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    });
    expect(r.status).toBe(200);
    const parts = parseMultipart(new Uint8Array(await r.arrayBuffer()), boundaryOf(r.headers.get('content-type') ?? '') ?? '');
    expect(parts).toHaveLength(1);
    expect(Buffer.from(parts[0]?.body ?? []).equals(Buffer.from(ctBytes))).toBe(true);
  });

  it('refuses non-DICOMweb paths and methods before they reach the PACS', async () => {
    const refused = [
      ['GET', '/dicom-web/tools/find'],
      ['DELETE', `/dicom-web/studies/${STUDY_OF_CT}`],
      ['POST', '/dicom-web/studies'],
    ] as const;
    for (const [method, path] of refused) {
      const r = await fetch(`${proxied.url}${path}`, { method, ...(method === 'POST' ? { body: 'x' } : {}) });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(((await r.json()) as { code: string }).code).toBe('PACS_REFUSED');
    }
    // Dot-segments sent as they are (fetch would normalise them away) are refused too.
    for (const path of ['/dicom-web/../tools/reset', '/dicom-web/%2e%2e/instances', '/dicom-web/studies/1.2/../../tools/find']) {
      const status = await new Promise<number>((resolve, reject) => {
        const { hostname, port } = new URL(proxied.url);
        const r = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end();
      });
      expect(status, path).toBe(403);
    }
    // Paths outside /dicom-web/ are not the proxy's: they fall through to the static server.
    for (const path of ['/tools/reset', '/instances', '/system']) {
      const r = await fetch(`${proxied.url}${path}`);
      expect(await r.text()).toBe('static');
    }
    // The DELETE never reached Orthanc: the study is still there.
    const still = await fetch(`${orthanc.restUrl}/dicom-web/studies?StudyInstanceUID=${STUDY_OF_CT}`, { headers: { authorization: orthanc.authorization, accept: 'application/dicom+json' } });
    expect(((await still.json()) as unknown[]).length).toBe(1);
    // Only allowed DICOMweb requests were forwarded.
    const forwarded = proxied.proxy.log().filter((e) => e.outcome === 'forwarded');
    for (const e of forwarded) expect(e.path).toMatch(/^\/dicom-web\/studies(\/[0-9.]+(\/(series|instances|metadata)(\/[0-9.]+)?)*)?(\?|$)/);
  });

  it('logs method, path without query values, status and bytes', () => {
    const search = proxied.proxy.log().find((e) => e.path.startsWith('/dicom-web/studies?'));
    expect(search).toMatchObject({ method: 'GET', path: '/dicom-web/studies?PatientName=…&includefield=00081190', status: 200, outcome: 'forwarded' });
    expect(search?.bytesOut).toBeGreaterThan(100);
    expect(JSON.stringify(proxied.proxy.log())).not.toContain('CompressedSamples');
  });

  it('refuses answers and uploads over the size limit (PACS_REFUSED)', async () => {
    const small = await serve({ ...config(orthanc, { RADLOCAL_PACS_STOW: '1' }), maxBytes: 4096 });
    try {
      const instances = (await (await fetch(`${small.url}/dicom-web/studies/${STUDY_OF_CT}/instances`, { headers: { accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: string[] }>[];
      const i = instances[0];
      const r = await fetch(`${small.url}/dicom-web/studies/${STUDY_OF_CT}/series/${i?.['0020000E']?.Value?.[0]}/instances/${i?.['00080018']?.Value?.[0]}`, {
        headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
      });
      expect(r.status).toBe(502);
      expect(((await r.json()) as { code: string; message: string }).message).toContain('limit');
      const upload = await fetch(`${small.url}/dicom-web/studies`, { method: 'POST', headers: { 'content-type': 'multipart/related; type="application/dicom"; boundary=x' }, body: new Uint8Array(10_000) });
      expect(upload.status).toBe(413);
      expect(((await upload.json()) as { code: string }).code).toBe('PACS_REFUSED');
    } finally {
      await small.close();
    }
  });

  it('answers PACS_AUTH_FAILED when the PACS refuses the credentials', async () => {
    const wrong = await serve(config(orthanc, { RADLOCAL_PACS_PASSWORD: 'wrong' }));
    try {
      const r = await fetch(`${wrong.url}/dicom-web/studies`);
      expect(r.status).toBe(502);
      expect(((await r.json()) as { code: string }).code).toBe('PACS_AUTH_FAILED');
    } finally {
      await wrong.close();
    }
  });

  it('stores an SR over STOW-RS only when enabled, and QIDO finds it', async () => {
    const ct = await import('../core/image/decode-image-file.ts').then((m) => m.decodeImageFile(ctBytes));
    const { srSourceOf } = await import('../core/sr/sr-source.ts');
    const sr = writeSr({ source: srSourceOf(ct), findings: [{ label: 'nodule', score: 0.3, threshold: 0.5, positive: false }], ood: { flagged: true, distance: 20, reasons: ['CT'] }, model: { name: 'm', version: '1', sha256: 'e'.repeat(64) }, softwareVersion: 't', now: new Date() });
    const { body, contentType } = stowBody([sr.bytes]);
    const off = await fetch(`${proxied.url}/dicom-web/studies`, { method: 'POST', headers: { 'content-type': contentType }, body: body as Uint8Array<ArrayBuffer> });
    expect(off.status).toBe(403);
    const stowing = await serve(config(orthanc, { RADLOCAL_PACS_STOW: '1' }));
    try {
      const on = await fetch(`${stowing.url}/dicom-web/studies`, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/dicom+json' }, body: body as Uint8Array<ArrayBuffer> });
      expect(on.status).toBe(200);
      const found = (await (await fetch(`${stowing.url}/dicom-web/studies/${STUDY_OF_CT}/instances?SOPInstanceUID=${sr.sopInstanceUID}`, { headers: { accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: string[] }>[];
      expect(found.map((i) => i['00080060']?.Value?.[0])).toEqual(['SR']);
      expect(stowing.proxy.log().find((e) => e.method === 'POST')).toMatchObject({ status: 200, bytesIn: body.length, outcome: 'forwarded' });
    } finally {
      await stowing.close();
    }
  });
});

describe('DICOMweb proxy failures', () => {
  it('without a PACS: no route (PACS_NOT_CONFIGURED) and the status says so', async () => {
    const p = await serve(null);
    try {
      const r = await fetch(`${p.url}/dicom-web/studies`);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { code: string }).code).toBe('PACS_NOT_CONFIGURED');
      expect(await (await fetch(`${p.url}/api/pacs/status`)).json()).toEqual({ configured: false, stow: false });
      expect(await (await fetch(`${p.url}/api/pacs/log`)).text()).toBe('static');
    } finally {
      await p.close();
    }
  });

  it('PACS_UNREACHABLE when nothing listens, and when the PACS does not answer within the timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      for (const env of [{ RADLOCAL_PACS_URL: `http://127.0.0.1:${closedPort}/dicom-web` }, { RADLOCAL_PACS_URL: `http://127.0.0.1:${silentPort}/dicom-web`, RADLOCAL_PACS_TIMEOUT_MS: '300' }]) {
        const p = await serve(readPacsConfig(env));
        try {
          const r = await fetch(`${p.url}/dicom-web/studies`);
          expect(r.status).toBe(504);
          expect(((await r.json()) as { code: string }).code).toBe('PACS_UNREACHABLE');
          expect(await (await fetch(`${p.url}/api/pacs/status`)).json()).toEqual({ configured: true, stow: false });
        } finally {
          await p.close();
        }
      }
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses a malformed configuration naming the variable', () => {
    expect(() => readPacsConfig({ RADLOCAL_PACS_URL: 'ftp://x/dicom-web' })).toThrow(/RADLOCAL_PACS_URL/);
    expect(() => readPacsConfig({ RADLOCAL_PACS_URL: 'http://u:p@x/dicom-web' })).toThrow(/RADLOCAL_PACS_USER/);
    expect(() => readPacsConfig({ RADLOCAL_PACS_URL: 'http://x/dicom-web', RADLOCAL_PACS_STOW: 'yes' })).toThrow(/RADLOCAL_PACS_STOW/);
    expect(readPacsConfig({})).toBeNull();
  });
});
