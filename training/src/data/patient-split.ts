/**
 * Patient-level, seeded, stratified train/validation/test split. Patients (never single
 * images) are assigned, so no patient appears in two splits. Patients are grouped by their
 * label pattern (OR over their images), shuffled with the seed inside each group, and dealt
 * out in order with running fractional accumulators, so each label pattern is split in the
 * requested proportions (to within one patient per pattern).
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { createRng, shuffleInPlace } from '../synth/prng.ts';
import type { ExampleRef, SplitFractions } from './dataset-types.ts';

export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.8, val: 0.1, test: 0.1 };

export function validateFractions(f: SplitFractions): void {
  const values = [f.train, f.val, f.test];
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.some((v) => !(v >= 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new RadLocalError('DATASET_INVALID', `Expected split fractions ≥ 0 summing to 1, but got train ${f.train}, val ${f.val}, test ${f.test}.`);
  }
}

export function splitByPatient(examples: ExampleRef[], fractions: SplitFractions, seed: number): { train: ExampleRef[]; val: ExampleRef[]; test: ExampleRef[] } {
  validateFractions(fractions);
  const byPatient = new Map<string, ExampleRef[]>();
  for (const e of examples) {
    const list = byPatient.get(e.patientId);
    if (list) list.push(e);
    else byPatient.set(e.patientId, [e]);
  }
  const strata = new Map<string, string[]>();
  for (const [patient, refs] of [...byPatient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const pattern = new Uint8Array(refs[0]?.labels.length ?? 0);
    for (const r of refs) r.labels.forEach((v, k) => (pattern[k] = (pattern[k] as number) | v));
    const key = pattern.join('');
    const list = strata.get(key);
    if (list) list.push(patient);
    else strata.set(key, [patient]);
  }
  const rng = createRng(seed);
  const out = { train: [] as ExampleRef[], val: [] as ExampleRef[], test: [] as ExampleRef[] };
  let accVal = 0.5;
  let accTest = 0.5;
  for (const key of [...strata.keys()].sort()) {
    const patients = shuffleInPlace(strata.get(key) as string[], rng.fork(key));
    for (const patient of patients) {
      accVal += fractions.val;
      accTest += fractions.test;
      let target: ExampleRef[];
      if (accTest >= 1) {
        accTest -= 1;
        target = out.test;
      } else if (accVal >= 1) {
        accVal -= 1;
        target = out.val;
      } else target = out.train;
      target.push(...(byPatient.get(patient) as ExampleRef[]));
    }
  }
  return out;
}
