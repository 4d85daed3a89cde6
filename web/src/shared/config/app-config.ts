/**
 * Start-up configuration, parsed once with zod from the page URL's fragment (never sent
 * to the server): `#backend=auto|wasm|webgl|cpu` (default auto) and
 * `#model=<folder under ./models/>` (default chest-phantom), e.g. `/#backend=wasm&model=x`.
 * Nothing else is read ad hoc.
 */
import { z } from 'zod';

const ConfigSchema = z.object({
  backend: z.enum(['auto', 'wasm', 'webgl', 'cpu']).default('auto'),
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .default('chest-phantom'),
});

function parse(): { backend: 'auto' | 'wasm' | 'webgl' | 'cpu'; modelPath: string } {
  const params = typeof location === 'undefined' ? new URLSearchParams() : new URLSearchParams(location.hash.replace(/^#/, ''));
  const raw = Object.fromEntries([...params.entries()].filter(([k]) => k === 'backend' || k === 'model'));
  const parsed = ConfigSchema.safeParse(raw);
  const config = parsed.success ? parsed.data : ConfigSchema.parse({});
  return { backend: config.backend, modelPath: `./models/${config.model}/` };
}

export const appConfig = parse();
