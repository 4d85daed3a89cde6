/**
 * Platt scaling for one binary output: calibrated p = sigmoid(a · logit + b). Unlike a
 * temperature (b = 0), the intercept b also absorbs a change of prevalence between the data
 * the model was trained on and the site it is used at.
 *
 * Fitted by Newton's method with a backtracking line search on the mean negative
 * log-likelihood, against Platt's (1999) smoothed targets t₊ = (N₊ + 1)/(N₊ + 2) and
 * t₋ = 1/(N₋ + 2) instead of 1 and 0, so that perfectly separated data still give finite
 * parameters. Deterministic: the same inputs give the same bits in Node and the browser.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import { checkBinaryInputs } from '../metrics/binary-inputs.ts';
import { sigmoid } from './temperature.ts';

export interface PlattParameters {
  /** Slope on the logit (1/T for a temperature). */
  a: number;
  /** Intercept (0 for a temperature). */
  b: number;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Mean cross-entropy of sigmoid(a·x + b) against soft targets t ∈ [0, 1]. */
function softNll(x: ArrayLike<number>, targets: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const f = a * (x[i] as number) + b;
    const t = targets[i] as number;
    // −[t log σ(f) + (1 − t) log(1 − σ(f))] = t·softplus(−f) + (1 − t)·softplus(f)
    sum += t * softplus(-f) + (1 - t) * softplus(f);
  }
  return sum / x.length;
}

/**
 * Fits sigmoid(a·x + b) to 0/1 labels with Platt's smoothed targets.
 * @param x logits (or any finite scores) of one label. @param labels 0/1, same length, ≥ 1 case.
 * @param start the starting point (default a = 1, b = 0: "the logits are already calibrated").
 */
export function fitPlatt(x: ArrayLike<number>, labels: ArrayLike<number>, start: PlattParameters = { a: 1, b: 0 }): PlattParameters {
  const { positives, negatives } = checkBinaryInputs(x, labels, 'logits');
  if (x.length === 0) throw new RadLocalError('INTERNAL', 'Expected at least one logit to fit Platt scaling, but got none.');
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const targets = Float64Array.from({ length: x.length }, (_, i) => (labels[i] === 1 ? hi : lo));
  let { a, b } = start;
  let loss = softNll(x, targets, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const p = sigmoid(a * xi + b);
      const r = p - (targets[i] as number);
      const w = p * (1 - p);
      ga += r * xi;
      gb += r;
      haa += w * xi * xi;
      hab += w * xi;
      hbb += w;
    }
    const n = x.length;
    ga /= n;
    gb /= n;
    // A tiny ridge keeps the 2×2 system solvable when every logit is equal.
    haa = haa / n + 1e-12;
    hab /= n;
    hbb = hbb / n + 1e-12;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      const na = a - step * da;
      const nb = b - step * db;
      const next = softNll(x, targets, na, nb);
      if (next <= loss) {
        const small = Math.abs(na - a) < 1e-12 * (1 + Math.abs(a)) && Math.abs(nb - b) < 1e-12 * (1 + Math.abs(b));
        a = na;
        b = nb;
        loss = next;
        accepted = !small;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  return { a, b };
}

/** Calibrated probabilities sigmoid(a·x + b), a Float64Array of the same length as `x`. */
export function applyPlatt(x: ArrayLike<number>, { a, b }: PlattParameters): Float64Array {
  return Float64Array.from({ length: x.length }, (_, i) => sigmoid(a * (x[i] as number) + b));
}
