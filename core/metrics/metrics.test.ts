import { describe, expect, it } from 'vitest';
import {
  bootstrapAucCi,
  bootstrapMacroAucCi,
  confusionMatrix,
  expectedCalibrationError,
  operatingPoint,
  reliabilityDiagram,
  rocAuc,
  rocCurve,
  sortedQuantile,
} from './metrics.ts';
import { seededRandom } from '../random/seeded-random.ts';

/** AUC by brute force over every (positive, negative) pair, ties 0.5: the definition. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function randomCase(n: number, seed: number, levels: number): { scores: number[]; labels: number[] } {
  const random = seededRandom(seed);
  const labels = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
  // Few distinct levels → many ties; positives shifted up a little.
  const scores = labels.map((y) => Math.round((random() + 0.3 * y) * levels) / levels);
  return { scores, labels };
}

describe('rocAuc', () => {
  it('matches a hand-computed case without ties', () => {
    // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs: 0.35>0.1 ✓, 0.35>0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts ties as one half', () => {
    // Positives 0.5, 0.9; negatives 0.2, 0.5. 0.5 vs 0.2 → 1, 0.5 vs 0.5 → ½, 0.9 wins both → 3.5/4.
    expect(rocAuc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.875);
    // All tied: every pair ½.
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('is 1 for perfect separation and 0 for perfectly inverted scores', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('is NaN when a class is empty', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });

  it('equals the pairwise definition and 1 − AUC for reversed scores on random tied data', () => {
    for (const seed of [1, 2, 3]) {
      const { scores, labels } = randomCase(200, seed, 8);
      const auc = rocAuc(scores, labels);
      expect(auc).toBeCloseTo(pairwiseAuc(scores, labels), 12);
      expect(rocAuc(scores.map((s) => -s), labels)).toBeCloseTo(1 - auc, 12);
    }
  });

  it('rejects labels other than 0/1, non-finite scores and length mismatch with a message', () => {
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow('Expected every label to be 0 or 1, but label 1 is 2.');
    expect(() => rocAuc([0.1, Number.NaN], [0, 1])).toThrow('Expected finite scores, but value 1 is NaN.');
    expect(() => rocAuc([0.1], [0, 1])).toThrow('Expected scores and labels of the same length, but got 1 scores and 2 labels.');
  });
});

describe('rocCurve', () => {
  it('walks the distinct thresholds of a hand-computed case', () => {
    // Descending: 0.8 (pos), 0.4 (neg), 0.35 (pos), 0.1 (neg).
    expect(rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual({
      thresholds: [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1],
      tpr: [0, 0.5, 0.5, 1, 1],
      fpr: [0, 0, 0.5, 0.5, 1],
    });
  });

  it('moves diagonally through ties and its trapezoid area equals rocAuc', () => {
    expect(rocCurve([0.5, 0.5], [0, 1])).toEqual({ thresholds: [Number.POSITIVE_INFINITY, 0.5], tpr: [0, 1], fpr: [0, 1] });
    const { scores, labels } = randomCase(150, 7, 5);
    const { fpr, tpr } = rocCurve(scores, labels);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
    expect(area).toBeCloseTo(rocAuc(scores, labels), 12);
  });
});

describe('bootstrapAucCi', () => {
  it('contains the point estimate, is reproducible with a seed and depends on it', () => {
    const { scores, labels } = randomCase(300, 11, 20);
    const auc = rocAuc(scores, labels);
    const [lo, hi] = bootstrapAucCi(scores, labels, { iterations: 500, seed: 42 });
    expect(lo).toBeLessThan(auc);
    expect(hi).toBeGreaterThan(auc);
    expect(hi - lo).toBeLessThan(0.3);
    expect(bootstrapAucCi(scores, labels, { iterations: 500, seed: 42 })).toEqual([lo, hi]);
    expect(bootstrapAucCi(scores, labels, { iterations: 500, seed: 43 })).not.toEqual([lo, hi]);
  });

  it('is [1, 1] for perfectly separated classes: every stratified resample stays separated', () => {
    expect(bootstrapAucCi([0.1, 0.2, 0.3, 0.7, 0.8], [0, 0, 0, 1, 1], { iterations: 50, seed: 1 })).toEqual([1, 1]);
  });

  it('is [NaN, NaN] when a class is empty', () => {
    expect(bootstrapAucCi([0.1, 0.2], [1, 1])).toEqual([Number.NaN, Number.NaN]);
  });

  it('rejects a non-integer iteration count', () => {
    expect(() => bootstrapAucCi([0.1, 0.9], [0, 1], { iterations: 0 })).toThrow('Expected a positive integer number of bootstrap iterations, but got 0.');
  });
});

describe('bootstrapMacroAucCi', () => {
  it('contains the macro-AUC, is seeded and is [1, 1] for separated labels', () => {
    const a = randomCase(300, 21, 20);
    const b = randomCase(300, 22, 20);
    const macro = (rocAuc(a.scores, a.labels) + rocAuc(b.scores, b.labels)) / 2;
    const ci = bootstrapMacroAucCi([a.scores, b.scores], [a.labels, b.labels], { iterations: 300, seed: 5 });
    expect(ci[0]).toBeLessThan(macro);
    expect(ci[1]).toBeGreaterThan(macro);
    expect(bootstrapMacroAucCi([a.scores, b.scores], [a.labels, b.labels], { iterations: 300, seed: 5 })).toEqual(ci);
    // Both labels separated by their scores in every resample that has both classes.
    expect(bootstrapMacroAucCi([[0.1, 0.2, 0.8, 0.9], [0.9, 0.1, 0.8, 0.2]], [[0, 0, 1, 1], [1, 0, 1, 0]], { iterations: 100, seed: 1 })).toEqual([1, 1]);
    expect(bootstrapMacroAucCi([[0.1, 0.2]], [[0, 0]])).toEqual([Number.NaN, Number.NaN]);
  });
});

describe('sortedQuantile', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    // Position (4 − 1) · 0.25 = 0.75 → 10 + 0.75 · (20 − 10) = 17.5.
    expect(sortedQuantile([10, 20, 30, 40], 0.25)).toBe(17.5);
    expect(sortedQuantile([10, 20, 30, 40], 1)).toBe(40);
  });
});

describe('confusionMatrix', () => {
  it('counts a hand-computed case, positive iff score >= threshold', () => {
    const scores = [0.1, 0.4, 0.35, 0.8];
    const labels = [0, 0, 1, 1];
    expect(confusionMatrix(scores, labels, 0.4)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
    expect(confusionMatrix(scores, labels, 0.35)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(confusionMatrix(scores, labels, Number.POSITIVE_INFINITY)).toEqual({ tp: 0, fp: 0, tn: 2, fn: 2 });
  });
});

describe('operatingPoint', () => {
  // Ten positives and five negatives.
  const positives = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
  const negatives = [0.65, 0.45, 0.25, 0.15, 0.02];
  const scores = [...positives, ...negatives];
  const labels = [...positives.map(() => 1), ...negatives.map(() => 0)];

  it('picks the highest threshold meeting the target sensitivity', () => {
    // 0.9 · 10 = 9 positives needed → 9th highest positive = 0.1; only the negative 0.02 is below.
    expect(operatingPoint(scores, labels)).toEqual({ threshold: 0.1, sensitivity: 0.9, specificity: 0.2 });
    // 5 needed → 0.5; negatives below 0.5: 0.45, 0.25, 0.15, 0.02 → 4/5.
    expect(operatingPoint(scores, labels, 0.5)).toEqual({ threshold: 0.5, sensitivity: 0.5, specificity: 0.8 });
    // 0.3 · 10 is 3.0000000000000004 in floating point; 3 positives are still enough → 0.7.
    expect(operatingPoint(scores, labels, 0.3)).toEqual({ threshold: 0.7, sensitivity: 0.3, specificity: 1 });
    expect(operatingPoint(scores, labels, 1)).toEqual({ threshold: 0.05, sensitivity: 1, specificity: 0.2 });
  });

  it('reports the sensitivity actually reached when ties overshoot the target', () => {
    // 2 of 4 needed → threshold 0.5, but three positives share it → 3/4.
    expect(operatingPoint([0.5, 0.5, 0.5, 0.2, 0.1], [1, 1, 1, 1, 0], 0.5)).toEqual({ threshold: 0.5, sensitivity: 0.75, specificity: 1 });
  });

  it('is NaN without positives', () => {
    const point = operatingPoint([0.1, 0.2], [0, 0]);
    expect(point.threshold).toBeNaN();
    expect(point.sensitivity).toBeNaN();
  });
});

describe('reliabilityDiagram and expectedCalibrationError', () => {
  // Five bins of width 0.2.
  const probs = [0.1, 0.15, 0.3, 0.7, 0.9, 0.95];
  const labels = [0, 1, 0, 1, 1, 1];

  it('bins a hand-computed case', () => {
    const diagram = reliabilityDiagram(probs, labels, 5);
    expect(diagram.map((b) => b.count)).toEqual([2, 1, 0, 1, 2]);
    expect(diagram[0]!.meanConfidence).toBeCloseTo(0.125, 12);
    expect(diagram[0]!.accuracy).toBe(0.5);
    expect(diagram[1]!.accuracy).toBe(0);
    expect(diagram[2]!.meanConfidence).toBeNaN();
    expect(diagram[4]!.meanConfidence).toBeCloseTo(0.925, 12);
    expect(diagram[4]!.lower).toBe(0.8);
    expect(diagram[4]!.upper).toBe(1);
  });

  it('computes ECE for the hand-computed case', () => {
    // Bin gaps |acc − conf|: 0.375 (2 cases), 0.3 (1), 0.3 (1), 0.075 (2) → (0.75 + 0.6 + 0.15) / 6 = 0.25.
    expect(expectedCalibrationError(probs, labels, 5)).toBeCloseTo(0.25, 12);
  });

  it('puts probability 1 in the last bin and 0 in the first', () => {
    const diagram = reliabilityDiagram([0, 1], [0, 1], 15);
    expect(diagram[0]!.count).toBe(1);
    expect(diagram[14]!.count).toBe(1);
    expect(expectedCalibrationError([0, 1], [0, 1])).toBe(0);
  });

  it('is 0 for a calibrated constant and 0.5 for a confidently wrong model', () => {
    expect(expectedCalibrationError([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0);
    // Predicts 0.75 for everything, half are positive → |0.5 − 0.75| = 0.25.
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [0, 1, 0, 1])).toBe(0.25);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => expectedCalibrationError([1.5], [1])).toThrow('Expected probabilities in [0, 1], but value 0 is 1.5.');
  });
});
