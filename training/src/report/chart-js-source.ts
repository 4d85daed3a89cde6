/**
 * The Chart.js UMD build, read from node_modules at report-generation time so the report can
 * inline it (no network, no external URL). Its MIT licence banner is kept; the source-map
 * comment is dropped (the map is not shipped).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

let cached: string | undefined;

export function chartJsSource(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  // The package's "exports" map hides dist/chart.umd.min.js; resolve the CommonJS entry beside it.
  const path = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RadLocalError('INTERNAL', `Expected the Chart.js UMD build at ${path} (npm package chart.js), but it could not be read.`, { cause: error });
  }
  source = source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  if (/<\/script/i.test(source)) throw new RadLocalError('INTERNAL', 'The Chart.js build contains "</script" and cannot be inlined safely.');
  cached = source;
  return source;
}
