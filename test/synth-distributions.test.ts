/**
 * Pins the phantom generator's finding distributions: how often each finding occurs, how big
 * and how bright it is, where nodules sit, and what a finding of a given size does to the
 * pixels. The default model's figures are only comparable across versions while the task
 * stays the same, so this fails when anyone makes the findings bigger, brighter, more
 * frequent (or smaller, fainter, rarer) — change the generator deliberately, then these
 * numbers, and say so.
 *
 * Sampled through the generator's own entry points (planPatients, sampleAcquisition) with
 * fixed seeds; each figure is compared with the distribution the generator is written to
 * draw (analytic quantiles), with tolerances of ≈ 4 standard errors of the sample.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/random/prng.ts';
import { sampleAcquisition } from '../training/src/synth/acquisition.ts';
import { sampleAnatomy, sampleHabitus, type Anatomy } from '../training/src/synth/anatomy.ts';
import { DEFAULT_PREVALENCE, parsePrevalence, sampleFindings, type Findings } from '../training/src/synth/findings.ts';
import { labelsOf, planPatients, type PhantomPatient } from '../training/src/synth/generate-phantom.ts';
import { renderPhantom } from '../training/src/synth/render-phantom.ts';

const IMAGES = 60_000;
const patients: PhantomPatient[] = planPatients(IMAGES, 20_261_130, DEFAULT_PREVALENCE);
const findings: Findings[] = patients.map((p) => p.findings);

function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const x = p * (sorted.length - 1);
  const i = Math.floor(x);
  return (sorted[i] as number) + ((sorted[Math.min(i + 1, sorted.length - 1)] as number) - (sorted[i] as number)) * (x - i);
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Quantile p of a mixture: with probability w uniform on [a, b], else uniform on [c, d] (the intervals touch: b = c). */
function mixtureQuantile(p: number, w: number, [a, b]: [number, number], [c, d]: [number, number]): number {
  return p < w ? a + ((b - a) * p) / w : c + ((d - c) * (p - w)) / (1 - w);
}

/** Asserts support, mean and quantiles of `values` against the distribution's quantile function. */
function expectDistribution(values: readonly number[], q: (p: number) => number, tolerance: number, what: string): void {
  expect(values.length, what).toBeGreaterThan(1000);
  expect(Math.min(...values), `${what}: smallest`).toBeGreaterThanOrEqual(q(0) - 1e-9);
  expect(Math.max(...values), `${what}: largest`).toBeLessThanOrEqual(q(1) + 1e-9);
  for (const p of [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]) {
    expect(Math.abs(quantile(values, p) - q(p)), `${what}: quantile ${p} = ${quantile(values, p)} vs ${q(p)}`).toBeLessThan(tolerance);
  }
  // Mean of the distribution by its quantiles (midpoint rule over 10,000 steps).
  let expectedMean = 0;
  for (let k = 0; k < 10_000; k++) expectedMean += q((k + 0.5) / 10_000) / 10_000;
  expect(Math.abs(mean(values) - expectedMean), `${what}: mean ${mean(values)} vs ${expectedMean}`).toBeLessThan(tolerance);
}

describe('phantom finding distributions (pinned: the task must not get easier or harder unnoticed)', () => {
  it('default prevalences are 0.3 / 0.25 / 0.2 / 0.25, and the patients drawn have them', () => {
    expect(DEFAULT_PREVALENCE).toEqual({ cardiomegaly: 0.3, pleural_effusion: 0.25, pneumothorax: 0.2, nodule: 0.25 });
    expect(parsePrevalence(undefined)).toEqual(DEFAULT_PREVALENCE);
    expect(patients.length).toBeGreaterThan(40_000);
    const labels = patients.map((p) => labelsOf(p.findings));
    for (const [label, p] of Object.entries(DEFAULT_PREVALENCE)) {
      const rate = mean(labels.map((l) => l[label as keyof typeof l]));
      // Standard error √(p(1−p)/n) ≈ 0.0022 at n ≈ 43,000.
      expect(Math.abs(rate - p), `${label}: ${rate}`).toBeLessThan(0.009);
    }
    // Images per patient: 70 % one, 20 % two, 10 % three.
    const counts = [1, 2, 3].map((k) => patients.filter((p) => p.images === k).length / patients.length);
    expect(Math.abs((counts[0] as number) - 0.7)).toBeLessThan(0.009);
    expect(Math.abs((counts[1] as number) - 0.2)).toBeLessThan(0.009);
  });

  it('cardiomegaly: CTR 0.36–0.47 when normal; enlarged 0.53–0.56 (a third, subtle) or 0.56–0.68', () => {
    const normal = findings.filter((f) => !f.cardiomegaly).map((f) => f.ctr);
    const enlarged = findings.filter((f) => f.cardiomegaly).map((f) => f.ctr);
    expectDistribution(normal, (p) => 0.36 + 0.11 * p, 0.003, 'normal CTR');
    expectDistribution(enlarged, (p) => mixtureQuantile(p, 0.33, [0.53, 0.56], [0.56, 0.68]), 0.004, 'enlarged CTR');
  });

  it('pleural effusion: right 40 %, left 35 %, both 25 %; fluid height 0.10–0.16 of the lung (30 %) or 0.16–0.42', () => {
    const withFluid = findings.filter((f) => f.effusion.right > 0 || f.effusion.left > 0);
    const right = withFluid.filter((f) => f.effusion.right > 0 && f.effusion.left === 0).length / withFluid.length;
    const left = withFluid.filter((f) => f.effusion.left > 0 && f.effusion.right === 0).length / withFluid.length;
    expect(Math.abs(right - 0.4), `right only ${right}`).toBeLessThan(0.018);
    expect(Math.abs(left - 0.35), `left only ${left}`).toBeLessThan(0.018);
    const heights = withFluid.flatMap((f) => [f.effusion.right, f.effusion.left].filter((h) => h > 0));
    expectDistribution(heights, (p) => mixtureQuantile(p, 0.3, [0.1, 0.16], [0.16, 0.42]), 0.008, 'effusion height');
  });

  it('pneumothorax: either side; rim 0.10–0.16 of the hemithorax (30 %) or 0.16–0.40', () => {
    const ptx = findings.flatMap((f) => (f.pneumothorax ? [f.pneumothorax] : []));
    const right = ptx.filter((p) => p.side === 'right').length / ptx.length;
    expect(Math.abs(right - 0.5), `right ${right}`).toBeLessThan(0.02);
    expectDistribution(ptx.map((p) => p.gap), (p) => mixtureQuantile(p, 0.3, [0.1, 0.16], [0.16, 0.4]), 0.008, 'pneumothorax rim');
  });

  it('nodules: one (80 %) or two; the first 9–30 mm, the second 5–30 mm, skewed small (d = lo + (30 − lo)·U^1.4); contrast 0.7–1.1; anywhere in the lung box', () => {
    const withNodules = findings.filter((f) => f.nodules.length > 0);
    const two = withNodules.filter((f) => f.nodules.length === 2).length / withNodules.length;
    expect(withNodules.every((f) => f.nodules.length <= 2)).toBe(true);
    expect(Math.abs(two - 0.2), `two nodules ${two}`).toBeLessThan(0.016);
    const first = withNodules.map((f) => (f.nodules[0] as Findings['nodules'][number]).diameterMm);
    const second = withNodules.flatMap((f) => f.nodules.slice(1).map((n) => n.diameterMm));
    expectDistribution(first, (p) => 9 + 21 * p ** 1.4, 0.35, 'first nodule diameter (mm)');
    expectDistribution(second, (p) => 5 + 25 * p ** 1.4, 0.9, 'second nodule diameter (mm)');
    const all = withNodules.flatMap((f) => f.nodules);
    expectDistribution(all.map((n) => n.contrast), (p) => 0.7 + 0.4 * p, 0.012, 'nodule contrast');
    expectDistribution(all.map((n) => n.across), (p) => 0.3 + 0.55 * p, 0.015, 'nodule position across the lung');
    expectDistribution(all.map((n) => n.down), (p) => 0.15 + 0.6 * p, 0.015, 'nodule position down the lung');
    const right = all.filter((n) => n.side === 'right').length / all.length;
    expect(Math.abs(right - 0.5), `right ${right}`).toBeLessThan(0.02);
  });

  it('acquisition: field of view 340–430 mm (sizes nodules in pixels), noise 0.3–1.2 % of full scale', () => {
    const rng = createRng(77);
    const acquisitions = Array.from({ length: 20_000 }, () => sampleAcquisition(rng.fork(rng.int(0, 1e9)), rng.chance(0.3)));
    expectDistribution(acquisitions.map((a) => a.fieldOfViewMm), (p) => 340 + 90 * p, 2, 'field of view (mm)');
    expectDistribution(acquisitions.map((a) => a.noise), (p) => 0.003 + 0.009 * p, 0.0002, 'noise σ');
    expectDistribution(acquisitions.map((a) => a.gain), (p) => 0.45 + 0.15 * p, 0.004, 'detector gain');
  });
});

describe('a finding of a given size in the pixels (pinned)', () => {
  const SIZE = 256;
  const MM_PER_UNIT = 380;
  const none = { cardiomegaly: 0, pleural_effusion: 0, pneumothorax: 0, nodule: 0 };
  function plainAnatomy(seed: number): Anatomy {
    const rng = createRng(seed);
    return sampleAnatomy(rng, sampleHabitus(rng), sampleFindings(rng, none), false);
  }
  const a = plainAnatomy(11);
  const plain = renderPhantom(a, SIZE, MM_PER_UNIT).attenuation;
  const diff = (f: Partial<Findings>): Float32Array => {
    const sick = renderPhantom({ ...a, findings: { ...a.findings, ...f } }, SIZE, MM_PER_UNIT).attenuation;
    return Float32Array.from(sick, (v, i) => v - (plain[i] as number));
  };

  it('a nodule adds attenuation contrast·(0.16 + 0.14·min(1, d/14 mm)) at its centre, over its recorded diameter', () => {
    // [diameter mm, contrast, peak Δ attenuation measured on this anatomy when pinned (pixel sampling lowers the smallest)].
    for (const [diameterMm, contrast, pinnedPeak] of [
      [5, 0.7, 0.14407],
      [9, 1, 0.24847],
      [14, 1, 0.29924],
      [20, 1.1, 0.32959],
    ] as const) {
      const d = diff({ nodules: [{ diameterMm, side: 'left', across: 0.5, down: 0.45, contrast }] });
      const peak = Math.max(...d);
      const expected = contrast * (0.16 + 0.14 * Math.min(1, diameterMm / 14));
      expect(Math.abs(peak - expected) / expected, `${diameterMm} mm: peak ${peak} vs ${expected}`).toBeLessThan(0.025);
      expect(Math.abs(peak - pinnedPeak) / pinnedPeak, `${diameterMm} mm: peak ${peak} vs pinned ${pinnedPeak}`).toBeLessThan(0.005);
      // Pixels raised by more than half the peak: a disc of about the recorded diameter.
      const area = d.filter((v) => v > peak / 2).length;
      const px = (diameterMm / MM_PER_UNIT) * SIZE;
      const expectedArea = Math.PI * (px / 2) ** 2;
      expect(area, `${diameterMm} mm: area ${area} px vs disc ${expectedArea.toFixed(1)}`).toBeGreaterThan(expectedArea * 0.6 - 2);
      expect(area, `${diameterMm} mm: area ${area} px vs disc ${expectedArea.toFixed(1)}`).toBeLessThan(expectedArea * 1.4 + 4);
    }
  });

  it('effusion and pneumothorax of given sizes change the image by pinned amounts (the CTR is pinned in synth-findings)', () => {
    // Integrated |Δ attenuation| over the image (pixel units), measured on this anatomy when pinned; ±1 %.
    const total = (d: Float32Array): number => d.reduce((s, v) => s + Math.abs(v), 0);
    const figures: Record<keyof typeof PINNED, number> = {
      subtleEffusion: total(diff({ effusion: { right: 0.12, left: 0 } })),
      largeEffusion: total(diff({ effusion: { right: 0.35, left: 0 } })),
      subtlePneumothorax: total(diff({ pneumothorax: { side: 'right', gap: 0.12 } })),
      largePneumothorax: total(diff({ pneumothorax: { side: 'right', gap: 0.35 } })),
    };
    for (const [name, value] of Object.entries(figures)) {
      const pinned = PINNED[name as keyof typeof PINNED];
      expect(Math.abs(value - pinned) / pinned, `${name}: ${value} vs pinned ${pinned}`).toBeLessThan(0.01);
    }
  });
});

const PINNED = { subtleEffusion: 48.9, largeEffusion: 464.0, subtlePneumothorax: 321.2, largePneumothorax: 879.7 };
