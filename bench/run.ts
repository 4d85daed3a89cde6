/**
 * `npm run bench -- <name> [args…]`: runs bench/<name>.ts, which prints its figures as JSON.
 * Benchmarks compare variants side by side in one run and report ratios (machines are noisy).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(HERE)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`Usage: npm run bench -- <${available.join('|')}> [args…]\n`);
  process.exit(name ? 2 : 1);
}
const file = join(HERE, `${name}.ts`);
if (!existsSync(file)) throw new Error(`Expected a benchmark at ${file}`);
const module = (await import(pathToFileURL(file).href)) as { run?: (args: string[]) => Promise<void> };
if (typeof module.run !== 'function') throw new Error(`bench/${name}.ts must export run(args: string[]): Promise<void>`);
await module.run(args);
