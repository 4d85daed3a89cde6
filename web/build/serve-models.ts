/**
 * Vite plugin: serves the exported model folders with the app, same-origin, as
 * `./models/<name>/…` — from the repository's `models/` in dev, and copied into the build
 * output (as bundle assets, so nothing is fetched from elsewhere) for `npm start`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

const TYPES: Record<string, string> = { json: 'application/json', bin: 'application/octet-stream' };

/** Every folder directly under `root` that holds a `model-card.json` (an exported RadLocal model). */
export function discoverModels(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && existsSync(join(root, name, 'model-card.json')))
    .sort();
}

/**
 * @param names the model folders to serve; by default every exported model under `modelsRoot`
 *   (the viewer opens `chest-phantom` unless the URL fragment names another: `#model=NAME`).
 */
export function serveModels(modelsRoot: string, names: readonly string[] = discoverModels(resolve(modelsRoot))): Plugin {
  const root = resolve(modelsRoot);
  return {
    name: 'radlocal-serve-models',
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const path = resolve(root, `.${decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')}`);
        const inside = path.startsWith(root + sep) && names.some((n) => path.startsWith(join(root, n) + sep));
        if (!inside || !existsSync(path) || !statSync(path).isFile()) return next();
        res.setHeader('Content-Type', TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.end(readFileSync(path));
      });
    },
    generateBundle() {
      for (const name of names) {
        const dir = join(root, name);
        if (!existsSync(dir)) {
          this.warn(`Model folder ${dir} is missing: the viewer will report that no model is available.`);
          continue;
        }
        for (const file of listFiles(dir)) {
          this.emitFile({ type: 'asset', fileName: `models/${relative(root, file).split(sep).join('/')}`, source: readFileSync(file) });
        }
      }
    },
  };
}
