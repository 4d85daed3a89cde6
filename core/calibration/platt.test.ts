import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seeded-random.ts';
import { applyPlatt, fitPlatt } from './platt.ts';
import { sigmoid } from './temperature.ts';

function draw(n: number, seed: number, a: number, b: number): { z: number[]; y: number[] } {
  const random = seededRandom(seed);
  const z: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 6 * (random() - 0.5);
    z.push(x);
    y.push(random() < sigmoid(a * x + b) ? 1 : 0);
  }
  return { z, y };
}

/** Mean cross-entropy with Platt's smoothed targets (what the fit minimises). */
function loss(z: number[], y: number[], a: number, b: number): number {
  const pos = y.filter((v) => v === 1).length;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (y.length - pos + 2);
  let sum = 0;
  z.forEach((x, i) => {
    const p = sigmoid(a * x + b);
    const t = y[i] === 1 ? hi : lo;
    sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
  });
  return sum / z.length;
}

describe('fitPlatt', () => {
  it('recovers the slope and intercept that generated the outcomes', () => {
    const { z, y } = draw(40000, 1, 0.6, -1.2);
    const { a, b } = fitPlatt(z, y);
    expect(a).toBeCloseTo(0.6, 1);
    expect(b).toBeCloseTo(-1.2, 1);
  });

  it('is the minimum of its loss (no neighbour on a fine grid is lower)', () => {
    const { z, y } = draw(300, 2, 1.5, 0.4);
    const { a, b } = fitPlatt(z, y);
    const best = loss(z, y, a, b);
    for (const da of [-1e-3, 0, 1e-3]) for (const db of [-1e-3, 0, 1e-3]) expect(loss(z, y, a + da, b + db)).toBeGreaterThanOrEqual(best - 1e-12);
  });

  it('stays finite on separated data and applies as sigmoid(a·x + b)', () => {
    const fit = fitPlatt([-3, -2, -1, 1, 2, 3], [0, 0, 0, 1, 1, 1]);
    expect(Number.isFinite(fit.a) && Number.isFinite(fit.b)).toBe(true);
    expect(Array.from(applyPlatt([0.5], fit))[0]).toBe(sigmoid(fit.a * 0.5 + fit.b));
  });
});
