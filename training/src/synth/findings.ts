/**
 * The phantom's findings: independent, with configurable prevalence, each with a severity
 * in (0, 1] (small values are subtle cases).
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { DEFAULT_LABELS } from '../data/dataset-types.ts';
import type { Rng } from '../../../core/random/prng.ts';

/** The phantom's labels are the model's default findings, in output order. */
export const PHANTOM_LABELS = DEFAULT_LABELS;
export type PhantomLabel = (typeof PHANTOM_LABELS)[number];

export type Prevalence = Record<PhantomLabel, number>;

export const DEFAULT_PREVALENCE: Prevalence = { cardiomegaly: 0.3, pleural_effusion: 0.25, pneumothorax: 0.2, nodule: 0.25 };

/** Side of a unilateral finding, in patient terms. */
export type Side = 'right' | 'left';

export interface Findings {
  /** Cardiothoracic ratio target: > 0.5 when cardiomegaly. */
  ctr: number;
  cardiomegaly: boolean;
  /** Effusion per side: fluid height as a fraction of the lung height (0 = none). */
  effusion: { right: number; left: number };
  /** Pneumothorax: side and rim width as a fraction of the hemithorax width (0 = none). */
  pneumothorax: { side: Side; gap: number } | undefined;
  /** Nodules: diameter in mm and a position within the lung (fractions of the lung box). */
  nodules: { diameterMm: number; side: Side; across: number; down: number; contrast: number }[];
}

/** Parses "cardiomegaly=0.3,nodule=0.2" (unlisted labels keep their value in `base`, by default the defaults). */
export function parsePrevalence(text: string | undefined, base: Prevalence = DEFAULT_PREVALENCE): Prevalence {
  const out: Prevalence = { ...base };
  if (!text) return out;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    const p = Number(value);
    if (!name || !(PHANTOM_LABELS as readonly string[]).includes(name) || !(p >= 0 && p <= 1)) {
      throw new RadLocalError('CLI_USAGE', `Expected --prevalence as label=p pairs with labels ${PHANTOM_LABELS.join(', ')} and 0 ≤ p ≤ 1, but got "${part}".`);
    }
    out[name as PhantomLabel] = p;
  }
  return out;
}

/** Draws one patient's findings. */
export function sampleFindings(rng: Rng, prevalence: Prevalence): Findings {
  const cardiomegaly = rng.chance(prevalence.cardiomegaly);
  // Normal hearts 0.36–0.47, enlarged 0.53–0.68 (a third of them subtle, 0.53–0.56).
  const ctr = cardiomegaly ? (rng.chance(0.33) ? rng.uniform(0.53, 0.56) : rng.uniform(0.56, 0.68)) : rng.uniform(0.36, 0.47);
  const effusion = { right: 0, left: 0 };
  if (rng.chance(prevalence.pleural_effusion)) {
    const size = (): number => (rng.chance(0.3) ? rng.uniform(0.1, 0.16) : rng.uniform(0.16, 0.42));
    const r = rng.next();
    if (r < 0.4) effusion.right = size();
    else if (r < 0.75) effusion.left = size();
    else {
      effusion.right = size();
      effusion.left = size();
    }
  }
  const pneumothorax = rng.chance(prevalence.pneumothorax)
    ? { side: rng.pick(['right', 'left'] as const), gap: rng.chance(0.3) ? rng.uniform(0.1, 0.16) : rng.uniform(0.16, 0.4) }
    : undefined;
  const nodules: Findings['nodules'] = [];
  if (rng.chance(prevalence.nodule)) {
    const count = rng.chance(0.2) ? 2 : 1;
    for (let i = 0; i < count; i++) {
      // Diameters skewed toward the small end: the first nodule 9–30 mm, a second one 5–30 mm
      // (the subtle cases); contrast rises with size (render-phantom.ts).
      const smallest = i === 0 ? 9 : 5;
      nodules.push({
        diameterMm: smallest + (30 - smallest) * rng.next() ** 1.4,
        side: rng.pick(['right', 'left'] as const),
        across: rng.uniform(0.3, 0.85),
        down: rng.uniform(0.15, 0.75),
        contrast: rng.uniform(0.7, 1.1),
      });
    }
  }
  return { ctr, cardiomegaly, effusion, pneumothorax, nodules };
}
