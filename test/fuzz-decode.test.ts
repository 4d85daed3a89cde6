/**
 * Bad input is normal input: 4,800 seeded mutations of real files (bit flips, truncations,
 * huge length fields, replaced values, huge fragment lengths, duplicated elements). Each must
 * end in an image or a typed RadLocalError, within 2 s, leaving its input bytes as they were.
 * Reproduce a failure with its printed (seed file, kind, mutation seed) via test/fuzz-corpus.ts.
 */
import { describe, expect, it } from 'vitest';
import { applyCase, differentialCase, fuzzCase, fuzzSeeds, runCase } from './fuzz-corpus.ts';
import { mutate, type MutationKind } from './fuzz-mutations.ts';
import { missingReferenceTools, skipMessage } from './helpers/reference-tools.ts';

const CASES = 4_800;
const RUN_SEED = 20261128;
const MAX_MS_PER_CASE = 2_000;

describe('decodeImageFile under seeded mutations', () => {
  it(`${CASES} mutated real files each end in an image or a typed error within ${MAX_MS_PER_CASE} ms, input untouched`, async () => {
    const seeds = await fuzzSeeds();
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    for (let i = 0; i < CASES; i++) {
      const c = fuzzCase(seeds, RUN_SEED, i);
      const bytes = applyCase(c);
      const before = Buffer.from(bytes);
      const result = await runCase(bytes);
      counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
      const label = `${c.seed.name} ${c.kind} seed=${c.mutationSeed}`;
      if (!before.equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) failures.push(`${label}: the input bytes were modified`);
      if (result.outcome.startsWith('CRASH')) failures.push(`${label}: ${result.outcome}`);
      if (result.ms > MAX_MS_PER_CASE) failures.push(`${label}: took ${result.ms.toFixed(0)} ms`);
    }
    expect(failures).toEqual([]);
    // The mutations must reach both outcomes in bulk, or the test is not testing anything.
    expect(counts.image ?? 0).toBeGreaterThan(CASES / 10);
    expect(CASES - (counts.image ?? 0)).toBeGreaterThan(CASES / 10);
  }, 120_000);

  // Cases `npm run bench -- fuzz` found; each once hung, escaped as a non-typed error, or gave other samples than the reference.
  it.each([
    ['synthetic-htj2k.dcm', 'bit-flip', 4237787459, 'DICOM_DECODE_FAILED', 'OpenJPH looped forever on SIZ YRsiz = 129'],
    ['MR_small_jpeg_ls_lossless.dcm', 'bit-flip', 3763849868, 'DICOM_DECODE_FAILED', 'CharLS trapped, then delete() trapped in finally'],
    // Found by the differential fuzz: RadLocal decoded these to other samples than dcmtk / GDCM.
    ['MR_small_jpeg_ls_lossless.dcm', 'random-value', 3290797070, 'DICOM_INVALID_ATTRIBUTE', 'Bits Allocated 8 under Bits Stored 16 and a 16-bit JPEG-LS stream: every sample was cut to 8 bits'],
    ['SC_rgb_small_odd_jpeg.dcm', 'random-value', 3649164878, 'DICOM_INVALID_ATTRIBUTE', 'Photometric Interpretation unreadable (NUL first): guessed RGB and converted the JFIF YCbCr'],
    ['SC_rgb_jpeg.dcm', 'random-value', 2081556428, 'DICOM_INVALID_ATTRIBUTE', 'Pixel Representation 1386: read as unsigned, GDCM reads it as signed'],
  ] as const)('regression: %s %s seed=%i ends in %s (%s), and the codec still works after', async (name, kind, seed, code, _why) => {
    const seeds = await fuzzSeeds();
    const original = seeds.find((s) => s.name === name)!;
    const result = await runCase(mutate(original.bytes, kind as MutationKind, seed));
    expect(result.outcome).toBe(code);
    expect((await runCase(original.bytes)).outcome).toBe('image');
  });
});

const missingTools = missingReferenceTools();
if (missingTools.length > 0) console.warn(`fuzz-decode: differential cases skipped, ${skipMessage(missingTools)}`);

describe('differential fuzz against the reference toolkits', () => {
  // A small share in `npm test`; `npm run bench -- fuzz` runs many more.
  const SHARE = 47; // every 47th case of the run above (prime, so seeds and mutation kinds mix)
  (missingTools.length === 0 ? it : it.skip)(`every ${SHARE}th mutated file: where dcmtk/GDCM decode it, RadLocal gives the same samples or a typed error`, async () => {
    const seeds = await fuzzSeeds();
    const verdicts: Record<string, number> = {};
    const different: string[] = [];
    await Promise.all(
      Array.from({ length: Math.floor(CASES / SHARE) }, async (_, k) => {
        const c = fuzzCase(seeds, RUN_SEED, k * SHARE + 7);
        const result = await differentialCase(applyCase(c), c.seed.name);
        verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
        if (result.verdict === 'different') different.push(`${c.seed.name} ${c.kind} seed=${c.mutationSeed}: ${result.detail}`);
      }),
    );
    console.log(`differential fuzz: ${JSON.stringify(verdicts)}`);
    expect(different).toEqual([]);
    expect(verdicts.identical ?? 0).toBeGreaterThan(10); // the comparison really ran
  }, 180_000);
});
