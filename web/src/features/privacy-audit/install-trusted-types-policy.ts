/**
 * Trusted Types (CSP `require-trusted-types-for 'script'; trusted-types default`): every DOM
 * sink that could run code — innerHTML and friends, script and worker URLs, eval-like calls —
 * refuses plain strings unless this `default` policy converts them. It converts only script URLs
 * of this origin (bundled workers, the service worker, same-origin blob: workers) and defines no
 * createHTML/createScript, so any HTML or script string reaching a sink is refused: a DICOM tag
 * can never become markup, whatever a future component does with it.
 *
 * Loaded from index.html before the app's entry, so the policy exists before any sink is used.
 */

interface TrustedTypePolicyOptions {
  createScriptURL?: (input: string) => string;
}
interface TrustedTypesFactory {
  createPolicy(name: string, options: TrustedTypePolicyOptions): unknown;
}

/** The URL's own origin, and for blob: URLs the origin that created them. */
function scriptOrigin(input: string): string {
  const url = new URL(input, document.baseURI);
  return url.protocol === 'blob:' ? new URL(url.pathname).origin : url.origin;
}

export function allowScriptUrl(input: string): string {
  const origin = scriptOrigin(input);
  if (origin !== window.location.origin) throw new TypeError(`RadLocal loads scripts only from ${window.location.origin}, not from ${origin}.`);
  return input;
}

const factory = (window as unknown as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
factory?.createPolicy('default', { createScriptURL: allowScriptUrl });
