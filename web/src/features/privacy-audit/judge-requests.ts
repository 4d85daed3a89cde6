/**
 * The audit verdict: did any request the app made carry study data out? Pure, so it is unit
 * tested (test/privacy-audit.test.ts). A request passes when it went to the app's own origin,
 * had no body (GET, or a resource load that cannot carry one), and asked for one of the app's
 * own files (the build's precache manifest), so that no file name, UID or tag can be in it.
 */
import type { NetworkEntry, RequestVerdict } from '../../shared/privacy/audit-types.ts';
import { judgeDicomwebRequest, PROXY_PREFIX, redactedPath } from '../../shared/dicomweb/dicomweb-rules.ts';

/** Answered by RadLocal's own server (its log of what it forwarded to the PACS): carries nothing. */
const SERVER_PATHS = new Set(['/api/pacs/log']);

/**
 * A same-origin request to the DICOMweb proxy that its rules allow: it went to the site's PACS
 * through this app's server, as the user asked (search, open, store a result) — counted apart.
 * `method` null (Resource Timing) is judged as GET.
 */
function isPacsRequest(entry: NetworkEntry, url: URL): boolean {
  if (!url.pathname.startsWith(PROXY_PREFIX)) return false;
  return judgeDicomwebRequest(entry.method ?? 'GET', url.pathname.slice(PROXY_PREFIX.length), url.search.slice(1), true).ok;
}

/** Resource loads that never carry a request body. */
const BODYLESS_KINDS = new Set(['navigation', 'script', 'link', 'css', 'img', 'image', 'style', 'font', 'worker', 'sharedworker', 'document', 'manifest', 'other']);

/**
 * @param entries what the page, its workers and the service worker observed
 * @param origin this app's origin, e.g. "http://127.0.0.1:4173"
 * @param appPaths the app's own files as absolute paths ("/", "/index.html", "/assets/…"), or
 *   null when unknown (dev server), in which case only origin and method are checked
 */
export function judgeRequests(entries: readonly NetworkEntry[], origin: string, appPaths: ReadonlySet<string> | null): RequestVerdict {
  const problems: string[] = [];
  let methodUnknown = 0;
  let pacsRequests = 0;
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      problems.push(`Unreadable address: ${entry.url}`);
      continue;
    }
    if (url.origin !== origin) {
      problems.push(`${entry.url} went to another origin (${url.origin}).`);
      continue;
    }
    if (isPacsRequest(entry, url)) {
      pacsRequests++;
      continue;
    }
    if (SERVER_PATHS.has(url.pathname) && url.search === '' && (entry.method ?? 'GET') === 'GET') continue;
    if (entry.method !== null && entry.method !== 'GET' && entry.method !== 'HEAD') {
      problems.push(`${entry.method} ${url.pathname} could have carried a body.`);
      continue;
    }
    if (entry.kind === 'beacon') {
      problems.push(`A beacon to ${url.pathname} carries a body.`);
      continue;
    }
    // fetch/XHR seen only by Resource Timing: the method is not exposed. Counted, not failed:
    // the service worker reports the method of every request once it controls the page.
    if (entry.method === null && !BODYLESS_KINDS.has(entry.kind)) methodUnknown++;
    if (url.search !== '') {
      problems.push(`${url.pathname} carried a query string.`);
      continue;
    }
    if (appPaths && !appPaths.has(url.pathname)) {
      problems.push(`${url.pathname} is not one of the app's own files.`);
    }
  }
  return { ok: problems.length === 0, checked: entries.length, problems, pathsChecked: appPaths !== null, methodUnknown, pacsRequests };
}

/** The app's own paths from the precache manifest's file list, relative to the app's base URL. */
export function appPathsFromManifest(files: readonly string[], baseUrl: string): Set<string> {
  const base = new URL(baseUrl);
  const paths = new Set<string>([base.pathname]);
  for (const file of files) paths.add(new URL(file, base).pathname);
  paths.add(new URL('sw.js', base).pathname);
  return paths;
}

/**
 * A request's address as shown and exported: a PACS search keeps its query keys but loses their
 * values (a patient's name must not end up in an exported audit log). Other addresses unchanged.
 */
export function shownUrl(address: string): string {
  try {
    const url = new URL(address);
    return url.pathname.startsWith(PROXY_PREFIX) ? `${url.origin}${redactedPath(`${url.pathname}${url.search}`)}` : address;
  } catch {
    return address;
  }
}
