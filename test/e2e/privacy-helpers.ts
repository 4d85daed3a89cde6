/**
 * Helpers for the privacy end-to-end tests: a second local HTTP server (another origin) that
 * counts every hit it receives, and a recorder of everything the browser sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page, Request } from '@playwright/test';

export interface CountingServer {
  /** e.g. http://127.0.0.1:39123 — a different origin from the app (other port). */
  origin: string;
  /** Every request line it received (method + URL), in order. */
  hits: string[];
  close(): Promise<void>;
}

/** Starts an HTTP server on a free 127.0.0.1 port that answers 200 to anything (also WebSocket upgrades are counted). */
export async function startCountingServer(): Promise<CountingServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
    res.end('ok');
  });
  server.on('upgrade', (req, socket) => {
    hits.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  postData: string | null;
  resourceType: string;
  /** true when the service worker itself issued it (precache or pass-through). */
  fromServiceWorker: boolean;
  /** true when the request was issued by a page or worker while the network log was "after first load". */
  phase: 'first-load' | 'session';
  /** The Playwright request, to ask later whether the service worker answered it. */
  request: Request;
}

export interface NetworkRecorder {
  requests: RecordedRequest[];
  websockets: string[];
  /** Marks the end of the first load: later requests are recorded with phase 'session'. */
  startSession(): void;
}

/** Records every request (page, workers, service worker) and every WebSocket of a context. */
export function recordNetwork(context: BrowserContext, page: Page): NetworkRecorder {
  const recorder: NetworkRecorder = {
    requests: [],
    websockets: [],
    startSession() {
      phase = 'session';
    },
  };
  let phase: RecordedRequest['phase'] = 'first-load';
  const onRequest = (request: Request): void => {
    recorder.requests.push({
      method: request.method(),
      url: request.url(),
      postData: request.postData(),
      resourceType: request.resourceType(),
      fromServiceWorker: request.serviceWorker() !== null,
      phase,
      request,
    });
  };
  context.on('request', onRequest);
  page.on('websocket', (ws) => recorder.websockets.push(ws.url()));
  return recorder;
}
