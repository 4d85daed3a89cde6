/**
 * Patient-level, seeded, stratified train/validation/test split. Whole patients (never single
 * images) are assigned, so no patient appears in two splits; images linked by the caller
 * (duplicates found by pixel hash) travel together with their patients too.
 *
 * Multi-label stratification follows iterative stratification (Sechidis, Tsoumakas & Vlahavas
 * 2011) at patient level: every label gets a desired number of positive images per split
 * (fraction × positives); the label with the fewest unassigned positive patients is served
 * first, each of its patients going to the split that still needs most of that label (ties:
 * the split that needs most images). Before that, each label that validation or test would
 * otherwise miss gets its smallest positive patient there (validation first), one always left
 * for training. Patients without positives fill the splits to their fractions. Images whose
 * split the dataset fixes (MIMIC-CXR split file, CheXpert valid.csv) keep it.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { createRng, shuffleInPlace } from '../../../core/random/prng.ts';
import type { ExampleRef, SplitFractions, SplitName } from './dataset-types.ts';

export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.8, val: 0.1, test: 0.1 };
const SPLITS: readonly SplitName[] = ['train', 'val', 'test'];

export function validateFractions(f: SplitFractions): void {
  const values = [f.train, f.val, f.test];
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.some((v) => !(v >= 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new RadLocalError('DATASET_INVALID', `Expected split fractions ≥ 0 summing to 1, but got train ${f.train}, val ${f.val}, test ${f.test}.`);
  }
}

export interface SplitOptions {
  /** A split the dataset itself fixes for an image. */
  fixed?: (ref: ExampleRef, index: number) => SplitName | undefined;
  /** Groups of example indices that must land in one split (e.g. identical pixels). */
  linked?: readonly (readonly number[])[];
}

export type Splits = Record<SplitName, ExampleRef[]>;

function positive(ref: ExampleRef, j: number): boolean {
  return ref.labels[j] === 1 && (ref.known === undefined || ref.known[j] === 1);
}

export function splitByPatient(examples: readonly ExampleRef[], fractions: SplitFractions, seed: number, options: SplitOptions = {}): Splits {
  validateFractions(fractions);
  const L = examples[0]?.labels.length ?? 0;
  // Units: patients, merged through linked groups (union-find over patient ids).
  const parent = new Map<string, string>();
  const find = (p: string): string => {
    let root = p;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    let node = p;
    while (node !== root) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const e of examples) if (!parent.has(e.patientId)) parent.set(e.patientId, e.patientId);
  for (const group of options.linked ?? []) {
    const first = examples[group[0] as number];
    if (!first) continue;
    for (const i of group.slice(1)) {
      const a = find(first.patientId);
      const b = find((examples[i] as ExampleRef).patientId);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const unitIndex = new Map<string, number>();
  const units: { members: number[]; fixed: SplitName | undefined; positives: Int32Array }[] = [];
  examples.forEach((e, i) => {
    const root = find(e.patientId);
    let u = unitIndex.get(root);
    if (u === undefined) {
      u = units.length;
      unitIndex.set(root, u);
      units.push({ members: [], fixed: undefined, positives: new Int32Array(L) });
    }
    const unit = units[u] as (typeof units)[number];
    unit.members.push(i);
    unit.fixed ??= options.fixed?.(e, i);
    for (let j = 0; j < L; j++) if (positive(e, j)) unit.positives[j] = (unit.positives[j] as number) + 1;
  });

  const assigned = new Int8Array(units.length).fill(-1);
  const needTotal = new Float64Array(3);
  const need = SPLITS.map(() => new Float64Array(L));
  const fraction = [fractions.train, fractions.val, fractions.test];
  const assign = (u: number, s: number): void => {
    const unit = units[u] as (typeof units)[number];
    assigned[u] = s;
    needTotal[s] = (needTotal[s] as number) - unit.members.length;
    const n = need[s] as Float64Array;
    for (let j = 0; j < L; j++) n[j] = (n[j] as number) - (unit.positives[j] as number);
  };

  // Desired counts over all units; units whose split is fixed then take their share first.
  const free: number[] = [];
  units.forEach((unit, u) => (unit.fixed ? undefined : free.push(u)));
  fraction.forEach((f, s) => (needTotal[s] = f * examples.length));
  for (let j = 0; j < L; j++) {
    let images = 0;
    for (const unit of units) images += unit.positives[j] as number;
    fraction.forEach((f, s) => ((need[s] as Float64Array)[j] = f * images));
  }
  units.forEach((unit, u) => {
    if (unit.fixed) assign(u, SPLITS.indexOf(unit.fixed));
  });

  const rng = createRng(seed);
  const order = shuffleInPlace(free.slice(), rng);
  const byLabel: number[][] = Array.from({ length: L }, () => []);
  for (const u of order) for (let j = 0; j < L; j++) if (((units[u] as (typeof units)[number]).positives[j] as number) > 0) (byLabel[j] as number[]).push(u);
  // Rare labels first: validation, then test, get the smallest positive patient of a label they
  // have none of, as long as one is left for training — so a label with three positive patients
  // can be learned, calibrated and evaluated, and one with two can at least be calibrated.
  const positiveIn = (s: number, j: number): boolean => units.some((unit, u) => assigned[u] === s && (unit.positives[j] as number) > 0);
  const rarestFirst = [...byLabel.keys()].sort((a, b) => (byLabel[a] as number[]).length - (byLabel[b] as number[]).length);
  for (const j of rarestFirst) {
    const unassigned = () => (byLabel[j] as number[]).filter((u) => assigned[u] === -1).sort((a, b) => ((units[a] as (typeof units)[number]).positives[j] as number) - ((units[b] as (typeof units)[number]).positives[j] as number));
    const trainNeedsOne = fractions.train > 0 && !positiveIn(0, j) ? 1 : 0;
    for (const s of [1, 2]) {
      if (fraction[s] === 0 || positiveIn(s, j)) continue;
      const candidates = unassigned();
      if (candidates.length <= trainNeedsOne) break;
      assign(candidates[0] as number, s);
    }
  }
  const remaining = Int32Array.from(byLabel, (list) => list.filter((u) => assigned[u] === -1).length);
  const cursor = new Int32Array(L);
  const bestSplit = (j: number | undefined): number => {
    let best = -1;
    for (let s = 0; s < 3; s++) {
      if (fraction[s] === 0) continue;
      if (best < 0) {
        best = s;
        continue;
      }
      const a = j === undefined ? 0 : ((need[s] as Float64Array)[j] as number) - ((need[best] as Float64Array)[j] as number);
      if (a > 1e-9 || (Math.abs(a) <= 1e-9 && (needTotal[s] as number) > (needTotal[best] as number) + 1e-9)) best = s;
    }
    return best;
  };
  for (;;) {
    let j = -1;
    for (let k = 0; k < L; k++) if ((remaining[k] as number) > 0 && (j < 0 || (remaining[k] as number) < (remaining[j] as number))) j = k;
    if (j < 0) break;
    const list = byLabel[j] as number[];
    while (assigned[list[cursor[j] as number] as number] !== -1) cursor[j] = (cursor[j] as number) + 1;
    const u = list[cursor[j] as number] as number;
    assign(u, bestSplit(j));
    for (let k = 0; k < L; k++) if (((units[u] as (typeof units)[number]).positives[k] as number) > 0) remaining[k] = (remaining[k] as number) - 1;
  }
  for (const u of order) if (assigned[u] === -1) assign(u, bestSplit(undefined));

  const out: Splits = { train: [], val: [], test: [] };
  units.forEach((unit, u) => {
    const target = out[SPLITS[assigned[u] as number] as SplitName];
    for (const i of unit.members) target.push(examples[i] as ExampleRef);
  });
  return out;
}
