/**
 * `npm run bench -- fuzz [--cases N] [--seed S] [--only NAME] [--trace] [--reference-every K]`:
 * N (default 100,000) seeded mutations of real files through decodeImageFile; prints JSON with
 * counts per outcome (image / error code / CRASH…), per mutation kind, slow cases (> 2 s) and
 * the slowest case. Every K-th case (default 50; 0 = none) also goes through the reference
 * toolkits (dcmtk / GDCM, when installed): where they decode the mutated file, RadLocal must give
 * the same samples or a typed error; the differential verdicts are counted and any 'different'
 * case is listed.
 */
import { applyCase, differentialCase, fuzzCase, fuzzSeeds, runCase } from '../test/fuzz-corpus.ts';
import { missingReferenceTools } from '../test/helpers/reference-tools.ts';

function option(args: string[], name: string, fallback: number, min = 1): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`Expected ${name} to be an integer of at least ${min}, but got ${args[at + 1]}`);
  return value;
}

export async function run(args: string[]): Promise<void> {
  const cases = option(args, '--cases', 100_000);
  const runSeed = option(args, '--seed', 1);
  const missingTools = missingReferenceTools();
  const referenceEvery = missingTools.length > 0 ? 0 : option(args, '--reference-every', 50, 0);
  const differential: Record<string, number> = {};
  const different: string[] = [];
  const pending: Promise<void>[] = [];
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
    const bytes = applyCase(c);
    const result = await runCase(bytes);
    if (referenceEvery > 0 && i % referenceEvery === 0) {
      // Reference decodes run in the background (two tool processes at a time) while fuzzing goes on;
      // at most 16 wait at once, so the mutated copies they hold stay few.
      if (pending.length >= 16) await Promise.all(pending.splice(0));
      pending.push(
        differentialCase(bytes, c.seed.name).then((d) => {
          differential[d.verdict] = (differential[d.verdict] ?? 0) + 1;
          if (d.verdict === 'different' && different.length < 50) different.push(`${label}: ${d.detail}`);
        }),
      );
    }
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    const kind = (byKind[c.kind] ??= {});
    const bucket = result.outcome === 'image' ? 'image' : result.outcome.startsWith('CRASH') ? 'crash' : 'typedError';
    kind[bucket] = (kind[bucket] ?? 0) + 1;
    if (result.outcome.startsWith('CRASH') && crashes.length < 20) crashes.push(`${label}: ${result.outcome}`);
    if (result.ms > 2_000 && slow.length < 20) slow.push(`${label}: ${result.ms.toFixed(0)} ms`);
    if (result.ms > slowest.ms) slowest = { ms: Math.round(result.ms), label };
    if ((i + 1) % 10_000 === 0) process.stderr.write(`fuzz: ${i + 1}/${cases} cases, ${Math.round((performance.now() - start) / 1000)} s\n`);
  }
  await Promise.all(pending);
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
    differential:
      referenceEvery > 0
        ? { every: referenceEvery, verdicts: differential, different }
        : { skipped: missingTools.length > 0 ? `reference tools missing: ${missingTools.join(', ')}` : '--reference-every 0' },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
