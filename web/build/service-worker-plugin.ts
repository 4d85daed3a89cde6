/**
 * Vite plugin: after the production build is written, compiles web/src/sw/service-worker.ts,
 * prefixes it with the precache manifest of the finished build folder and writes
 * `sw.js` + `precache-manifest.json` next to index.html. Runs last (closeBundle, order post) so
 * the manifest sees every file, including copied public files and model files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';
import { createPrecacheManifest, MANIFEST_FILE, SERVICE_WORKER_FILE } from './precache-manifest.ts';

const SOURCE = resolve(import.meta.dirname, '..', 'src', 'sw', 'service-worker.ts');

export function serviceWorkerPlugin(): Plugin {
  let config: ResolvedConfig | undefined;
  return {
    name: 'radlocal:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        if (!config || !config.build.write) return;
        const outDir = resolve(config.root, config.build.outDir);
        const manifest = createPrecacheManifest(outDir);
        const compiled = await transformWithOxc(readFileSync(SOURCE, 'utf8'), SOURCE, { lang: 'ts', target: 'es2022' });
        // The source ends in `export {}` only to be a module for the type checker.
        const code = compiled.code.replace(/^export\s*\{\s*\};?\s*$/m, '');
        if (/^\s*(import|export)\b/m.test(code)) {
          throw new Error(`Expected ${SOURCE} to compile to a classic script, but it has import/export statements`);
        }
        const header = `/* RadLocal service worker, generated at build time. */\nconst PRECACHE_MANIFEST = ${JSON.stringify(manifest)};\n`;
        writeFileSync(join(outDir, SERVICE_WORKER_FILE), header + code);
        writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      },
    },
  };
}
