/**
 * RadLocal's service worker: makes the app work offline after the first visit.
 *
 * - Precaches exactly the files of the build (app shell, JS, CSS, WASM, model files), listed in
 *   PRECACHE_MANIFEST, which web/build/service-worker-plugin.ts writes in front of this file at
 *   build time. The cache name carries the manifest's content hash, so a new build gets a new
 *   cache and the old one is deleted on activation.
 * - Serves those files cache-first. Every other request passes through untouched and is never
 *   cached (study files are read from disk with the File API and are never fetched at all).
 * - Tells open pages about every fetch it sees (method, URL, where it was served from), so the
 *   privacy audit panel can list requests made by workers too. Nothing is stored.
 *
 * This file is compiled on its own (no imports): it runs as a classic service-worker script.
 */

interface PrecacheManifest {
  /** sha256 over every precached file's path and bytes, hex (first 16 digits). */
  version: string;
  /** Paths relative to the service worker's scope, e.g. "index.html", "assets/index-abc.js". */
  files: string[];
}

declare const PRECACHE_MANIFEST: PrecacheManifest;

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE_PREFIX = 'radlocal-assets-';
const cacheName = `${CACHE_PREFIX}${PRECACHE_MANIFEST.version}`;
const scopeUrl = new URL(worker.registration.scope);
const precached = new Set(PRECACHE_MANIFEST.files.map((file) => new URL(file, scopeUrl).href));
const indexUrl = new URL('index.html', scopeUrl).href;

/** The cache key of a request, or null when the request is not one of the app's files. */
function precacheKey(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin) return null;
  url.hash = '';
  url.search = '';
  if (request.mode === 'navigate' && url.href === scopeUrl.href) return indexUrl;
  return precached.has(url.href) ? url.href : null;
}

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      // `cache: 'reload'` bypasses the HTTP cache so the precache holds this build's bytes.
      await cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' })));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name !== cacheName).map((name) => caches.delete(name)));
      await worker.clients.claim();
    })(),
  );
});

async function announce(request: Request, servedFrom: 'cache' | 'network' | 'passthrough'): Promise<void> {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: false });
  const message = {
    type: 'radlocal:sw-fetch',
    method: request.method,
    url: request.url,
    destination: request.destination,
    servedFrom,
    time: Date.now(),
  };
  for (const client of windows) client.postMessage(message);
}

worker.addEventListener('fetch', (event) => {
  const key = precacheKey(event.request);
  if (key === null) {
    event.waitUntil(announce(event.request, 'passthrough'));
    return; // not ours: the browser fetches it normally and nothing is cached
  }
  event.respondWith(
    (async () => {
      const cached = await caches.match(key, { cacheName });
      event.waitUntil(announce(event.request, cached ? 'cache' : 'network'));
      return cached ?? fetch(event.request);
    })(),
  );
});

export {}; // a module for the type checker; the build strips it (see service-worker-plugin.ts)
