/**
 * `npm run bench -- fuzz [--cases N] [--seed S] [--only NAME] [--trace]`: N (default 100,000) seeded mutations of real
 * files through decodeImageFile; prints JSON with counts per outcome (image / error code /
 * CRASH…), per mutation kind, slow cases (> 2 s) and the slowest case.
 */
import { applyCase, fuzzCase, fuzzSeeds, runCase } from '../test/fuzz-corpus.ts';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected ${name} to be a positive integer, but got ${args[at + 1]}`);
  return value;
}

export async function run(args: string[]): Promise<void> {
  const cases = option(args, '--cases', 100_000);
  const runSeed = option(args, '--seed', 1);
  const trace = args.includes('--trace'); // names each case before running it, to find a hang
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined; // seed-file name substring
  const seeds = (await fuzzSeeds()).filter((s) => only === undefined || s.name.includes(only));
  if (seeds.length === 0) throw new Error(`Expected --only to match a seed file, but "${only}" matches none`);
  const outcomes: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  const crashes: string[] = [];
  const slow: string[] = [];
  let slowest = { ms: 0, label: '' };
  const start = performance.now();
  for (let i = 0; i < cases; i++) {
    const c = fuzzCase(seeds, runSeed, i);
    const label = `${c.seed.name} ${c.kind} seed=${c.mutationSeed}`;
    if (trace) process.stderr.write(`case ${i}: ${label}\n`);
    const result = await runCase(applyCase(c));
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    const kind = (byKind[c.kind] ??= {});
    const bucket = result.outcome === 'image' ? 'image' : result.outcome.startsWith('CRASH') ? 'crash' : 'typedError';
    kind[bucket] = (kind[bucket] ?? 0) + 1;
    if (result.outcome.startsWith('CRASH') && crashes.length < 20) crashes.push(`${label}: ${result.outcome}`);
    if (result.ms > 2_000 && slow.length < 20) slow.push(`${label}: ${result.ms.toFixed(0)} ms`);
    if (result.ms > slowest.ms) slowest = { ms: Math.round(result.ms), label };
    if ((i + 1) % 10_000 === 0) process.stderr.write(`fuzz: ${i + 1}/${cases} cases, ${Math.round((performance.now() - start) / 1000)} s\n`);
  }
  const summary = {
    cases,
    runSeed,
    seedFiles: seeds.length,
    seconds: Math.round((performance.now() - start) / 100) / 10,
    outcomes,
    byKind,
    crashes,
    slowOver2s: slow,
    slowest,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
