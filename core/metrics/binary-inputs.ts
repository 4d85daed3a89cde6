/**
 * Input guards shared by the binary metrics: a score array and a 0/1 label array of the same
 * length, all finite. Programming errors (not user data errors) become RadLocalError INTERNAL
 * with a message that says what was expected and what came.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

export interface BinaryCounts {
  positives: number;
  negatives: number;
}

/**
 * Checks `values` (scores, probabilities or logits) and `labels` (each exactly 0 or 1) and
 * returns the class counts.
 */
export function checkBinaryInputs(values: ArrayLike<number>, labels: ArrayLike<number>, what: string): BinaryCounts {
  if (values.length !== labels.length) {
    throw new RadLocalError('INTERNAL', `Expected ${what} and labels of the same length, but got ${values.length} ${what} and ${labels.length} labels.`);
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y !== 0 && y !== 1) {
      throw new RadLocalError('INTERNAL', `Expected every label to be 0 or 1, but label ${i} is ${y}.`);
    }
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new RadLocalError('INTERNAL', `Expected finite ${what}, but value ${i} is ${v}.`);
    }
    positives += y;
  }
  return { positives, negatives: labels.length - positives };
}
