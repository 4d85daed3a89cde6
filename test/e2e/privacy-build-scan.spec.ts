/**
 * Scans the production build (dist/web, built by `npm run test:e2e` before Playwright starts)
 * for anything that could reach a third-party origin: absolute http(s)/ws(s) URLs anywhere in
 * any file (JS, HTML, CSS, JSON, WASM, model files), protocol-relative URLs in HTML/CSS, and
 * resource tags in index.html pointing off-site. Strict: every absolute URL fails the test
 * unless it matches an entry of INERT below, each of which says why it can never be fetched.
 * (Even if one were, CSP connect-src/img-src/script-src 'self' would block it; see privacy-csp.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { BUILD_DIR } from '../../web/build/build-location.ts';

const DIST = BUILD_DIR;

interface InertUrl {
  pattern: RegExp;
  why: string;
}

/** Absolute URLs that are data, not addresses. Add an entry only with a reason that holds for every occurrence. */
const INERT: InertUrl[] = [
  {
    pattern: /^http:\/\/www\.w3\.org\/(1999\/xhtml|2000\/svg|1999\/xlink|XML\/1998\/namespace|1998\/Math\/MathML|2000\/xmlns\/?)$/,
    why: 'XML namespace names (React DOM createElementNS/setAttributeNS): identifiers the browser compares as strings, never dereferenced',
  },
  {
    pattern: /^https?:\/\/json-schema\.org\/draft(-0[47]|\/2020-12)\/schema#?$/,
    why: "zod's toJSONSchema `$schema` identifiers: strings written into a JSON Schema object, never requested",
  },
  {
    pattern: /^http:\/\/$/,
    why: "bare scheme with no host: zod builds `http://[${ip}]` only to parse an IPv6 literal with new URL(), nothing is requested",
  },
  {
    pattern: /^(https?:\/\/www\.apache\.org\/licenses\/LICENSE-2\.0|https:\/\/opensource\.org\/licenses\/MIT\.?|https:\/\/github\.com\/cornerstonejs\/dicomParser)$/,
    why: 'licence banners of bundled libraries (TensorFlow.js Apache-2.0/MIT headers, dicom-parser): comments',
  },
  {
    pattern: /^https:\/\/(github\.com\/tensorflow\/tfjs\/issues\/(5447|1735)|www\.shadertoy\.com\/view\/4djSRW|arxiv\.org\/abs\/1706\.02515)$/,
    why: "comments inside TensorFlow.js WebGL shader source strings (compiled by the GPU driver, where `//` is a comment)",
  },
  {
    pattern: /^https:\/\/(github\.com\/tensorflow\/tfjs\/blob\/master\/tfjs-backend-wasm\/README\.md#using-bundlers|github\.com\/tensorflow\/tfjs-node|github\.com\/tensorflow\/tfjs\/issues|emscripten\.org\/docs\/porting\/pthreads\.html#blocking-on-the-main-browser-thread|developer\.mozilla\.org\/en-US\/docs\/Web\/API\/Fetch_API)$/,
    why: 'text of TensorFlow.js / Emscripten warning and error messages (console output; e.g. the graph-model executor\'s "Unknown op … File an issue at …"), never requested',
  },
  {
    pattern: /^https:\/\/react\.dev\/errors\/$/,
    why: "prefix of React's minified error messages: text shown in the console, never requested",
  },
];

const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'`<>()\\,;{}[\]]*/gi;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

interface Finding {
  file: string;
  url: string;
  context: string;
}

function scan(): { files: number; foreign: Finding[]; inert: Map<string, number> } {
  const foreign: Finding[] = [];
  const inert = new Map<string, number>();
  const files = listFiles(DIST);
  for (const file of files) {
    // latin1 keeps every byte, so URLs embedded in WASM data segments or model JSON are found too.
    const text = readFileSync(file).toString('latin1');
    for (const match of text.matchAll(URL_PATTERN)) {
      const url = match[0];
      const rule = INERT.find((r) => r.pattern.test(url));
      if (rule) {
        inert.set(url, (inert.get(url) ?? 0) + 1);
        continue;
      }
      const at = match.index ?? 0;
      foreign.push({ file: relative(DIST, file), url, context: text.slice(Math.max(0, at - 80), at + url.length + 40) });
    }
    if (/\.(html|css)$/.test(file)) {
      for (const match of text.matchAll(/(?:src|href|action)\s*=\s*["']\/\/[^"']+|url\(\s*["']?\/\/[^)]+/gi)) {
        foreign.push({ file: relative(DIST, file), url: match[0], context: match[0] });
      }
    }
  }
  return { files: files.length, foreign, inert };
}

test('the built app contains no address of another origin', () => {
  const { files, foreign, inert } = scan();
  expect(files).toBeGreaterThan(2); // index.html, sw.js, manifest, bundles: a scan of nothing proves nothing
  expect(foreign, `absolute URLs to other origins in dist/web:\n${JSON.stringify(foreign, null, 2)}`).toEqual([]);
  console.log(`scanned ${files} files; inert URL strings allowed: ${JSON.stringify(Object.fromEntries(inert))}`);
});

test('index.html loads every script, style, icon and manifest from the app itself', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((m) => m[2] ?? '');
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) expect(ref, `index.html reference ${ref}`).toMatch(/^\.\/[^/]/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  expect(html).not.toMatch(/\bintegrity=|\bon[a-z]+=/i); // no inline event handlers
});

test('the scanner catches a foreign URL (self-check on a synthetic string)', () => {
  const sample = 'fetch("https://telemetry.example.com/v1/collect");new WebSocket("wss://x.example/ws");ns="http://www.w3.org/2000/svg"';
  const found = [...sample.matchAll(URL_PATTERN)].map((m) => m[0]).filter((url) => !INERT.some((r) => r.pattern.test(url)));
  expect(found).toEqual(['https://telemetry.example.com/v1/collect', 'wss://x.example/ws']);
});
