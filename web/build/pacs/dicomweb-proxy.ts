/**
 * RadLocal's same-origin DICOMweb proxy (Connect middleware for `vite preview` / `npm start`).
 * The page talks only to `/dicom-web/…` on its own origin; this forwards what the rules allow
 * (web/src/shared/dicomweb/dicomweb-rules.ts) to the configured PACS with the server's
 * credentials, and answers everything else itself:
 *
 *   GET  /api/pacs/status   {configured, stow} — always answered; never the URL or user
 *   GET  /api/pacs/log      the proxy's request log (redacted), when a PACS is configured
 *   *    /dicom-web/…       forwarded, or refused with a typed error:
 *     404 PACS_NOT_CONFIGURED   no RADLOCAL_PACS_URL
 *     403 PACS_REFUSED          not DICOMweb, not GET (or STOW when enabled), too large
 *     502 PACS_AUTH_FAILED      the PACS answered 401/403
 *     502 PACS_REFUSED          the PACS answered another error status
 *     504 PACS_UNREACHABLE      no connection or no answer within the timeout
 *
 * Only Accept / Content-Type go upstream (plus the server's Authorization); only Content-Type
 * comes back (the security headers are set by the plugin before this runs). Absolute URLs
 * the PACS writes into DICOM JSON (RetrieveURL, BulkDataURI) are rewritten to this origin.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { judgeDicomwebRequest, PROXY_PREFIX, redactedPath } from '../../src/shared/dicomweb/dicomweb-rules.ts';
import type { PacsLogEntry } from '../../src/shared/dicomweb/pacs-log-entry.ts';

export type { PacsLogEntry };
import type { PacsConfig } from './pacs-config.ts';

export type PacsErrorCode = Exclude<PacsLogEntry['outcome'], 'forwarded'>;

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const STATUS_PATH = '/api/pacs/status';
const LOG_PATH = '/api/pacs/log';
const LOG_KEEP = 1000;
const JSON_TYPES = /^application\/(dicom\+)?json\b/i;
/** DICOM JSON responses are buffered to rewrite URLs: at most this much. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;

export interface DicomwebProxy {
  middleware: Middleware;
  /** The request log, oldest first (a copy). */
  log(): PacsLogEntry[];
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
  return Buffer.byteLength(text);
}

const MESSAGES: Record<PacsErrorCode, string> = {
  PACS_NOT_CONFIGURED: 'No PACS is configured for this RadLocal server (RADLOCAL_PACS_URL is not set).',
  PACS_UNREACHABLE: 'The PACS did not answer. Check that it is running and reachable from the RadLocal server.',
  PACS_AUTH_FAILED: 'The PACS refused RadLocal’s credentials. Ask the administrator to check RADLOCAL_PACS_USER and RADLOCAL_PACS_PASSWORD.',
  PACS_REFUSED: 'The PACS request was refused.',
};

/**
 * @param config the PACS, or null when none is configured (then /dicom-web/ answers PACS_NOT_CONFIGURED)
 * @param print where each log line goes (the server's console by default)
 */
export function createDicomwebProxy(config: PacsConfig | null, print: (line: string) => void = (line) => console.log(line)): DicomwebProxy {
  const entries: PacsLogEntry[] = [];

  const record = (entry: PacsLogEntry): void => {
    entries.push(entry);
    if (entries.length > LOG_KEEP) entries.shift();
    print(`[radlocal pacs] ${entry.method} ${entry.path} → ${entry.status} ${entry.outcome} in=${entry.bytesIn} out=${entry.bytesOut} ${entry.ms}ms`);
  };

  const refuse = (res: ServerResponse, started: number, method: string, path: string, status: number, code: PacsErrorCode, detail?: string): void => {
    const bytesOut = sendJson(res, status, { code, message: detail ?? MESSAGES[code] });
    record({ time: new Date(started).toISOString(), method, path, status, bytesIn: 0, bytesOut, ms: Date.now() - started, outcome: code });
  };

  const middleware: Middleware = (req, res, next) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const pathOnly = url.split('?')[0] ?? '/';
    if (pathOnly === STATUS_PATH && method === 'GET') {
      sendJson(res, 200, { configured: config !== null, stow: config?.stow ?? false });
      return;
    }
    if (pathOnly === LOG_PATH && method === 'GET' && config) {
      sendJson(res, 200, { entries });
      return;
    }
    if (!pathOnly.startsWith(PROXY_PREFIX) && pathOnly !== PROXY_PREFIX.slice(0, -1)) {
      next();
      return;
    }
    const started = Date.now();
    const shown = redactedPath(url);
    if (!config) {
      refuse(res, started, method, shown, 404, 'PACS_NOT_CONFIGURED');
      return;
    }
    const rest = pathOnly.slice(PROXY_PREFIX.length);
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    const verdict = judgeDicomwebRequest(method, rest, query, config.stow);
    if (!verdict.ok) {
      refuse(res, started, method, shown, 403, 'PACS_REFUSED', `RadLocal forwards only DICOMweb searches, retrievals and (when enabled) stores: ${verdict.reason}.`);
      req.resume();
      return;
    }
    const host = req.headers.host ?? '';
    if (!HOST.test(host)) {
      refuse(res, started, method, shown, 403, 'PACS_REFUSED', 'The request had no valid Host header.');
      return;
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (verdict.kind === 'stow' && (!Number.isFinite(declaredLength) || declaredLength > config.maxBytes)) {
      refuse(res, started, method, shown, 413, 'PACS_REFUSED', `The upload is larger than the server's limit (${config.maxBytes} bytes).`);
      req.resume();
      return;
    }
    forward(req, res, { config, method, rest, query, kind: verdict.kind, origin: `http://${host}`, started, shown, record, refuse });
  };

  return { middleware, log: () => [...entries] };
}

interface ForwardContext {
  config: PacsConfig;
  method: string;
  rest: string;
  query: string;
  kind: 'qido' | 'wado' | 'stow';
  origin: string;
  started: number;
  shown: string;
  record: (entry: PacsLogEntry) => void;
  refuse: (res: ServerResponse, started: number, method: string, path: string, status: number, code: PacsErrorCode, detail?: string) => void;
}

function forward(req: IncomingMessage, res: ServerResponse, ctx: ForwardContext): void {
  const { config, method, started, shown } = ctx;
  const target = new URL(`${config.baseUrl.href.replace(/\/$/, '')}/${ctx.rest}${ctx.query ? `?${ctx.query}` : ''}`);
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'RadLocal' };
  const accept = req.headers.accept;
  if (accept) headers.accept = accept.slice(0, 512);
  if (ctx.kind === 'stow') {
    headers['content-type'] = String(req.headers['content-type'] ?? '').slice(0, 512);
    if (req.headers['content-length']) headers['content-length'] = String(req.headers['content-length']);
  }
  if (config.authorization) headers.authorization = config.authorization;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let bytesIn = 0;
  let settled = false;
  const fail = (status: number, code: PacsErrorCode, detail?: string): void => {
    if (settled) return;
    settled = true;
    if (res.headersSent) res.destroy();
    else ctx.refuse(res, started, method, shown, status, code, detail);
  };

  const upstream = send(target, { method, headers, timeout: config.timeoutMs }, (answer) => {
    const status = answer.statusCode ?? 502;
    if (status === 401 || status === 403) {
      answer.resume();
      fail(502, 'PACS_AUTH_FAILED');
      return;
    }
    if (status >= 400) {
      answer.resume();
      fail(502, 'PACS_REFUSED', `The PACS answered HTTP ${status}.`);
      return;
    }
    const type = String(answer.headers['content-type'] ?? 'application/octet-stream');
    const declared = Number(answer.headers['content-length'] ?? 0);
    if (declared > config.maxBytes) {
      answer.destroy();
      fail(502, 'PACS_REFUSED', `The answer is larger than the server's limit (${config.maxBytes} bytes).`);
      return;
    }
    const finish = (bytesOut: number): void => {
      if (settled) return;
      settled = true;
      ctx.record({ time: new Date(started).toISOString(), method, path: shown, status, bytesIn, bytesOut, ms: Date.now() - started, outcome: 'forwarded' });
    };
    if (JSON_TYPES.test(type)) {
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JSON_BYTES) {
          answer.destroy();
          fail(502, 'PACS_REFUSED', 'The PACS sent more search results than the server accepts; narrow the search.');
        } else chunks.push(chunk);
      });
      answer.on('end', () => {
        if (settled) return;
        const body = Buffer.from(rewriteUrls(Buffer.concat(chunks).toString('utf8'), config.baseUrl, ctx.origin));
        res.statusCode = status;
        res.setHeader('Content-Type', type);
        res.setHeader('Cache-Control', 'no-store');
        res.end(body);
        finish(body.length);
      });
      answer.on('error', () => fail(504, 'PACS_UNREACHABLE'));
      return;
    }
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-store');
    if (answer.headers['content-length']) res.setHeader('Content-Length', String(answer.headers['content-length']));
    let bytesOut = 0;
    answer.on('data', (chunk: Buffer) => {
      bytesOut += chunk.length;
      if (bytesOut > config.maxBytes) {
        answer.destroy();
        fail(502, 'PACS_REFUSED', 'The answer exceeded the server’s size limit.');
      }
    });
    answer.pipe(res);
    answer.on('end', () => finish(bytesOut));
    answer.on('error', () => fail(504, 'PACS_UNREACHABLE'));
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  // The page went away (tab closed, triage cancelled): stop the PACS transfer too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('error', () => fail(504, 'PACS_UNREACHABLE'));
  if (ctx.kind === 'stow') {
    req.on('data', (chunk: Buffer) => {
      bytesIn += chunk.length;
      if (bytesIn > config.maxBytes) {
        upstream.destroy();
        fail(413, 'PACS_REFUSED', `The upload is larger than the server's limit (${config.maxBytes} bytes).`);
      }
    });
    req.pipe(upstream);
  } else upstream.end();
}

/** Replaces the PACS's own DICOMweb root in a JSON text with this origin's /dicom-web. */
export function rewriteUrls(text: string, baseUrl: URL, origin: string): string {
  const root = baseUrl.href.replace(/\/$/, '');
  const escaped = (s: string): string => s.replace(/\//g, '\\/');
  return text.split(root).join(`${origin}/dicom-web`).split(escaped(root)).join(escaped(`${origin}/dicom-web`));
}
