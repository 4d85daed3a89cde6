/**
 * Temperature scaling for one binary (sigmoid) output: calibrated p = sigmoid(logit / T).
 * T is fitted on validation logits by minimising the mean binary negative log-likelihood.
 *
 * With β = 1/T the NLL g(β) = mean softplus(−s·z·β) (s = ±1 for label 1/0) is convex in β,
 * so it is unimodal in log T. The fit runs a golden-section search on log T over
 * [log T_MIN, log T_MAX] and then polishes with safeguarded Newton steps on β.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import { checkBinaryInputs } from '../metrics/binary-inputs.ts';

/** Bounds of the fitted temperature. The optimum is clamped to them (separable or anti-correlated data). */
export const T_MIN = 0.01;
export const T_MAX = 100;

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The logistic function 1 / (1 + e^−x), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Mean binary NLL (natural log) of sigmoid(logit / T) against 0/1 labels. */
export function binaryNll(logits: ArrayLike<number>, labels: ArrayLike<number>, temperature: number): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const signed = labels[i] === 1 ? (logits[i] as number) : -(logits[i] as number);
    sum += softplus(-signed / temperature);
  }
  return sum / logits.length;
}

/**
 * Fits the temperature T > 0 that minimises the binary NLL of sigmoid(logit / T).
 * @param logits Raw (pre-sigmoid) outputs of one label, any finite values.
 * @param labels 0/1 ground truth, same length, at least one case.
 * @returns T in [T_MIN, T_MAX]; exactly 1 when every logit is 0 (the NLL does not depend on T).
 */
export function fitTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinaryInputs(logits, labels, 'logits');
  if (logits.length === 0) throw new RadLocalError('INTERNAL', 'Expected at least one logit to fit a temperature, but got none.');
  let anyNonZero = false;
  for (let i = 0; i < logits.length; i++) if (logits[i] !== 0) anyNonZero = true;
  if (!anyNonZero) return 1;

  const loss = (logT: number): number => binaryNll(logits, labels, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(T_MIN);
  let b = Math.log(T_MAX);
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  for (let k = 0; k < 60 && b - a > 1e-10; k++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = loss(d);
    }
  }
  let logT = (a + b) / 2;
  let best = loss(logT);

  // Newton polish on β = 1/T: g'(β) = mean(−s z σ(−s z β)), g''(β) = mean(z² σ(s z β) σ(−s z β)).
  for (let step = 0; step < 5; step++) {
    const beta = Math.exp(-logT);
    let gradient = 0;
    let curvature = 0;
    for (let i = 0; i < logits.length; i++) {
      const z = logits[i] as number;
      const sz = labels[i] === 1 ? z : -z;
      const q = sigmoid(-sz * beta);
      gradient += -sz * q;
      curvature += z * z * q * (1 - q);
    }
    if (!(curvature > 0)) break;
    const nextBeta = beta - gradient / curvature;
    if (!(nextBeta >= 1 / T_MAX && nextBeta <= 1 / T_MIN)) break;
    const nextLogT = -Math.log(nextBeta);
    const nextLoss = loss(nextLogT);
    if (!(nextLoss <= best)) break;
    const converged = Math.abs(nextLogT - logT) < 1e-12;
    logT = nextLogT;
    best = nextLoss;
    if (converged) break;
  }
  return Math.min(T_MAX, Math.max(T_MIN, Math.exp(logT)));
}

/**
 * Calibrated probabilities sigmoid(logit / T).
 * @returns A Float64Array of the same length as `logits`, values in [0, 1].
 */
export function applyTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RadLocalError('INTERNAL', `Expected a positive finite temperature, but got ${temperature}.`);
  }
  return Float64Array.from({ length: logits.length }, (_, i) => sigmoid((logits[i] as number) / temperature));
}
