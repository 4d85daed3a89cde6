/**
 * Wilson score interval of a binomial proportion (Wilson 1927), the interval for
 * sensitivity and specificity: unlike the Wald interval it stays inside [0, 1] and keeps
 * close to its coverage for small n and for proportions near 0 or 1 (Brown, Cai & DasGupta 2001).
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

/** Two-sided standard-normal quantile for the confidence levels we use. */
function zFor(confidence: number): number {
  const table: Record<string, number> = { '0.9': 1.6448536269514722, '0.95': 1.959963984540054, '0.99': 2.5758293035489004 };
  const z = table[String(confidence)];
  if (z === undefined) throw new RadLocalError('INTERNAL', `Expected a confidence level of 0.9, 0.95 or 0.99, but got ${confidence}.`);
  return z;
}

/**
 * @param successes k (e.g. true positives). @param n trials (e.g. positives).
 * @returns [low, high]; [NaN, NaN] when n = 0.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || successes > n) {
    throw new RadLocalError('INTERNAL', `Expected integer counts 0 ≤ successes ≤ n, but got ${successes} of ${n}.`);
  }
  if (n === 0) return [Number.NaN, Number.NaN];
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = ((z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Half the width of the Wilson interval at proportion p with n trials. */
export function wilsonHalfWidth(p: number, n: number, confidence = 0.95): number {
  const z = zFor(confidence);
  const z2 = z * z;
  return (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
}

/**
 * The smallest number of trials whose Wilson interval at proportion `p` is at most
 * `maxHalfWidth` wide on each side (e.g. positives needed to know a sensitivity of 0.9 to
 * ± 0.10: 37). Capped at 10⁷.
 */
export function trialsForHalfWidth(p: number, maxHalfWidth: number, confidence = 0.95): number {
  if (!(p >= 0 && p <= 1) || !(maxHalfWidth > 0)) {
    throw new RadLocalError('INTERNAL', `Expected a proportion in [0, 1] and a positive half-width, but got ${p} and ${maxHalfWidth}.`);
  }
  let lo = 1;
  let hi = 10_000_000;
  if (wilsonHalfWidth(p, hi, confidence) > maxHalfWidth) return hi;
  // The half-width falls monotonically with n: bisect for the first n that meets it.
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (wilsonHalfWidth(p, mid, confidence) <= maxHalfWidth) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
