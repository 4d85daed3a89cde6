/**
 * Start-up configuration, parsed once with zod from the page URL's fragment (never sent
 * to the server): `#backend=auto|wasm|webgl|cpu` (default auto) and
 * `#model=<folder under ./models/>` (default chest-phantom), e.g. `/#backend=wasm&model=x`, and
 * `#cache=<MB>`: the budget for decoded pixels kept on the page (default 256 MB, which leaves
 * room for the browser, the model and the workers on a 4 GB laptop; 16 … 8192).
 * Nothing else is read ad hoc.
 */
import { z } from 'zod';

const ConfigSchema = z.object({
  backend: z.enum(['auto', 'wasm', 'webgl', 'cpu']).default('auto'),
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .default('chest-phantom'),
  cache: z.coerce.number().int().min(16).max(8192).default(256),
});

const MB = 1024 * 1024;

function parse(): { backend: 'auto' | 'wasm' | 'webgl' | 'cpu'; modelPath: string; decodedCacheBytes: number } {
  const params = typeof location === 'undefined' ? new URLSearchParams() : new URLSearchParams(location.hash.replace(/^#/, ''));
  const raw = Object.fromEntries([...params.entries()].filter(([k]) => k === 'backend' || k === 'model' || k === 'cache'));
  const parsed = ConfigSchema.safeParse(raw);
  const config = parsed.success ? parsed.data : ConfigSchema.parse({});
  return { backend: config.backend, modelPath: `./models/${config.model}/`, decodedCacheBytes: config.cache * MB };
}

export const appConfig = parse();
