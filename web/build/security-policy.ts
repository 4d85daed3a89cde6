/**
 * The one definition of RadLocal's Content-Security-Policy and security headers. Used by the
 * Vite plugin (HTTP headers for `vite preview` and dev, `<meta>` in the built index.html) and
 * by the tests that check both. PRIVACY.md explains every directive.
 */

/** Directive name → sources, in the order they are written. */
export type CspDirectives = ReadonlyArray<readonly [name: string, sources: readonly string[]]>;

/**
 * The production policy. `style-src` has no 'unsafe-inline': React sets `style={…}` through
 * the CSSOM (`element.style.x = …`), which CSP does not govern, and Vite emits CSS as files.
 */
export const PRODUCTION_CSP: CspDirectives = [
  ['default-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['style-src', ["'self'"]],
  ['font-src', ["'self'"]],
  ['manifest-src', ["'self'"]],
  ['media-src', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  // Trusted Types: code sinks refuse strings except script URLs of this origin, converted by the
  // one 'default' policy (web/src/features/privacy-audit/install-trusted-types-policy.ts).
  ['require-trusted-types-for', ["'script'"]],
  ['trusted-types', ['default']],
  ['frame-ancestors', ["'none'"]],
];

/** Directives a `<meta http-equiv>` policy ignores (CSP3 §3.3): kept for the header only. */
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

export function serializeCsp(directives: CspDirectives): string {
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The policy as sent in the HTTP header (all directives). */
export function headerCsp(directives: CspDirectives = PRODUCTION_CSP): string {
  return serializeCsp(directives);
}

/** The policy as written into `<meta http-equiv="Content-Security-Policy">`. */
export function metaCsp(directives: CspDirectives = PRODUCTION_CSP): string {
  return serializeCsp(directives.filter(([name]) => !HEADER_ONLY_DIRECTIVES.has(name)));
}

/**
 * The dev-server policy: the same, except that Vite's dev client and React Fast Refresh inject
 * an inline module script and `<style>` elements. They are allowed by a per-server-start nonce
 * (Vite's `html.cspNonce`), never by 'unsafe-inline' or 'unsafe-eval'.
 */
export function devCsp(nonce: string): CspDirectives {
  return PRODUCTION_CSP.map(([name, sources]) =>
    name === 'script-src' || name === 'style-src' ? ([name, [...sources, `'nonce-${nonce}'`]] as const) : ([name, sources] as const),
  );
}

/** Permissions the app never needs; each is denied to the page and any frame. */
export const DENIED_PERMISSIONS = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'serial',
  'usb',
  'xr-spatial-tracking',
] as const;

export function permissionsPolicy(): string {
  return DENIED_PERMISSIONS.map((feature) => `${feature}=()`).join(', ');
}

/**
 * Every response header RadLocal's server sends. No COEP: cross-origin isolation would enable
 * tfjs' threaded WASM build, which hangs in a minified bundle (measured here) and was slower on two
 * cores; COOP alone still severs `window.opener` links to other sites.
 */
export function securityHeaders(csp: string = headerCsp()): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': permissionsPolicy(),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}
