/**
 * The findings are where the ground truth says they are: rendering the same anatomy with and
 * without a finding changes pixels only at the finding (nodule disc at its recorded centre
 * and diameter; pneumothorax and effusion on their side only), and the heart's rendered width
 * over the thoracic width is the recorded CTR.
 */
import { describe, expect, it } from 'vitest';
import { ellipseWidth, renderedCtr, sampleAnatomy, sampleHabitus, type Anatomy } from '../training/src/synth/anatomy.ts';
import { chestShape, heartMask } from '../training/src/synth/chest-shape.ts';
import { sampleFindings, type Findings } from '../training/src/synth/findings.ts';
import { createRng } from '../core/random/prng.ts';
import { renderPhantom } from '../training/src/synth/render-phantom.ts';

const SIZE = 256;
const MM_PER_UNIT = 380;
const NONE = { cardiomegaly: 0, pleural_effusion: 0, pneumothorax: 0, nodule: 0 };

function baseAnatomy(seed: number): Anatomy {
  const rng = createRng(seed);
  const habitus = sampleHabitus(rng);
  return sampleAnatomy(rng, habitus, sampleFindings(rng, NONE), false);
}

function withFindings(a: Anatomy, f: Partial<Findings>): Anatomy {
  return { ...a, findings: { ...a.findings, ...f } };
}

/** Pixels whose value changed by more than `eps`. */
function changed(a: Float32Array, b: Float32Array, eps = 1e-6): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] as number) - (b[i] as number)) > eps) out.push(i);
  return out;
}

describe('phantom findings in the pixels', () => {
  it('a nodule changes only a disc at its recorded centre and diameter', () => {
    const a = baseAnatomy(1);
    const nodule = { diameterMm: 12, side: 'right' as const, across: 0.5, down: 0.4, contrast: 1 };
    const plain = renderPhantom(a, SIZE, MM_PER_UNIT);
    const sick = renderPhantom(withFindings(a, { nodules: [nodule] }), SIZE, MM_PER_UNIT);
    const [n] = sick.nodules;
    expect(n?.diameterPx).toBeCloseTo((12 / MM_PER_UNIT) * SIZE, 6);
    const diff = changed(plain.attenuation, sick.attenuation);
    expect(diff.length).toBeGreaterThan(0);
    for (const i of diff) {
      const d = Math.hypot((i % SIZE) + 0.5 - (n?.column as number), Math.floor(i / SIZE) + 0.5 - (n?.row as number));
      expect(d).toBeLessThanOrEqual((n?.diameterPx as number) / 2 * 1.2 + 1.5);
    }
    // The patient's right is the image left.
    expect(n?.column).toBeLessThan(SIZE / 2);
  });

  it('a left pneumothorax and a right effusion change only their own side', () => {
    const a = baseAnatomy(2);
    const plain = renderPhantom(a, SIZE, MM_PER_UNIT).attenuation;
    const ptx = renderPhantom(withFindings(a, { pneumothorax: { side: 'left', gap: 0.25 } }), SIZE, MM_PER_UNIT).attenuation;
    const eff = renderPhantom(withFindings(a, { effusion: { right: 0.3, left: 0 } }), SIZE, MM_PER_UNIT).attenuation;
    const midline = (a.centerU + a.spineShift + 0.5) * SIZE;
    const ptxCols = changed(plain, ptx).map((i) => i % SIZE);
    const effCols = changed(plain, eff).map((i) => i % SIZE);
    expect(ptxCols.length).toBeGreaterThan(200);
    expect(effCols.length).toBeGreaterThan(200);
    expect(Math.min(...ptxCols)).toBeGreaterThan(midline - 8); // left lung: image right (rotation allowed a few px)
    expect(Math.max(...effCols)).toBeLessThan(midline + 8);
    // Effusion is basal and opaque: the changed pixels are in the lower lung and brighter.
    const effRows = changed(plain, eff).map((i) => Math.floor(i / SIZE));
    expect(Math.min(...effRows)).toBeGreaterThan(a.apexV * SIZE);
    const brighter = changed(plain, eff).filter((i) => (eff[i] as number) > (plain[i] as number)).length;
    expect(brighter / effRows.length).toBeGreaterThan(0.9);
  });

  it('the rendered heart width over the thoracic width is the recorded CTR', () => {
    for (const seed of [3, 4, 5]) {
      const rng = createRng(seed);
      const habitus = sampleHabitus(rng);
      const a = sampleAnatomy(rng, habitus, sampleFindings(rng, { ...NONE, cardiomegaly: seed % 2 }), false);
      expect(renderedCtr(a)).toBeCloseTo(a.findings.ctr, 12);
      // Measure the heart mask's horizontal extent on a fine grid in thorax coordinates.
      const g = chestShape(a, 4096);
      let lo = Infinity;
      let hi = -Infinity;
      for (let v = a.heart.v - 0.2; v < a.heart.v + 0.2; v += 0.001) {
        for (let u = -0.5; u < 0.5; u += 0.0005) {
          if (heartMask(g, u, v) >= 0.5) {
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
          }
        }
      }
      expect((hi - lo) / (2 * habitus.thoraxHalfWidth)).toBeCloseTo(a.findings.ctr, 2);
    }
  });

  it('ellipseWidth: axis-aligned and rotated by 90°', () => {
    expect(ellipseWidth(2, 1, 0)).toBe(4);
    expect(ellipseWidth(2, 1, Math.PI / 2)).toBeCloseTo(2, 12);
  });
});

describe('seeded generator', () => {
  it('repeats its sequence for a seed and forks independent streams', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    const c = createRng(7);
    const ints = Array.from({ length: 2000 }, () => c.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
  });
});
