/**
 * Start-up configuration, parsed once from the page URL's fragment (never sent
 * to the server): `#backend=auto|wasm|webgl|cpu` (default auto) and
 * `#model=<folder under ./models/>` (default chest-phantom), e.g. `/#backend=wasm&model=x`, and
 * `#cache=<MB>`: the budget for decoded pixels kept on the page (default 256 MB, which leaves
 * room for the browser, the model and the workers on a 4 GB laptop; 16 … 8192).
 * Nothing else is read ad hoc.
 */
const BACKENDS = ['auto', 'wasm', 'webgl', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];
const MODEL_FOLDER = /^[a-z0-9][a-z0-9._-]*$/;
const MB = 1024 * 1024;

/**
 * Checked by hand, not with zod: this module is part of the small boot chunk that starts the
 * inference worker before the rest of the app loads (features/findings/boot-inference-worker.ts). A value that does not pass is
 * replaced by its default.
 */
function parse(): { backend: Backend; modelPath: string; decodedCacheBytes: number } {
  const params = typeof location === 'undefined' ? new URLSearchParams() : new URLSearchParams(location.hash.replace(/^#/, ''));
  const backend = BACKENDS.find((b) => b === params.get('backend')) ?? 'auto';
  const model = params.get('model') ?? '';
  const cacheText = params.get('cache') ?? '';
  const cache = Number(cacheText);
  return {
    backend,
    modelPath: `./models/${MODEL_FOLDER.test(model) ? model : 'chest-phantom'}/`,
    decodedCacheBytes: (cacheText.trim() !== '' && Number.isInteger(cache) && cache >= 16 && cache <= 8192 ? cache : 256) * MB,
  };
}

export const appConfig = parse();
