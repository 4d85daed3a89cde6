import { describe, expect, it } from 'vitest';
import { summarizePredictions, type PredictionRecord } from './summarize.ts';

// Two labels, four images. Every logit is ln 3, so before calibration every probability is 0.75.
const L = Math.log(3);
const records: PredictionRecord[] = [
  { logits: [L, L], scores: [0.1, 0.9], truth: [0, 1], oodFlagged: false },
  { logits: [L, L], scores: [0.4, 0.2], truth: [0, 0], oodFlagged: true },
  { logits: [L, L], scores: [0.35, 0.3], truth: [1, 0], oodFlagged: false },
  { logits: [L, L], scores: [0.8, 0.6], truth: [1, 1], oodFlagged: false },
];

describe('summarizePredictions', () => {
  const { summary, curves } = summarizePredictions(records, { labels: ['a', 'b'], thresholds: { a: 0.4, b: 0.5 }, bootstrapIterations: 200, seed: 3 });

  it('computes per-label AUC, confusion, sensitivity and specificity at the card threshold', () => {
    // a: positives 0.35, 0.8 vs negatives 0.1, 0.4 → 3/4. At 0.4: tp 0.8, fp 0.4, fn 0.35, tn 0.1.
    expect(summary.perLabel.a).toMatchObject({ auc: 0.75, threshold: 0.4, sensitivity: 0.5, specificity: 0.5, positives: 2, negatives: 2 });
    expect(summary.perLabel.a!.confusion).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
    // b: positives 0.9, 0.6 above negatives 0.2, 0.3 → AUC 1; at 0.5 everything is right.
    expect(summary.perLabel.b).toMatchObject({ auc: 1, sensitivity: 1, specificity: 1 });
    expect(summary.perLabel.b!.aucCi95).toEqual([1, 1]);
    expect(summary.macroAuc).toBe(0.875);
  });

  it('pools ECE over labels before and after calibration', () => {
    // Before: all 8 probabilities are 0.75 and 4 of 8 are positive → |0.5 − 0.75| = 0.25.
    expect(summary.eceBeforeCalibration).toBeCloseTo(0.25, 12);
    // After: every probability falls in its own of 15 bins, so ECE = mean |y − p|
    // = (0.1 + 0.4 + 0.65 + 0.2 + 0.1 + 0.2 + 0.3 + 0.4) / 8 = 0.29375.
    expect(summary.ece).toBeCloseTo(0.29375, 12);
    expect(curves.reliabilityBefore[11]!.count).toBe(8);
    expect(curves.reliabilityAfter.filter((b) => b.count === 1)).toHaveLength(8);
  });

  it('reports the OOD rate, n and the ROC curves', () => {
    expect(summary.n).toBe(4);
    expect(summary.oodRate).toBe(0.25);
    expect(curves.roc.a!.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('serialises undefined metrics as null', () => {
    const single = summarizePredictions([{ logits: [0], scores: [0.3], truth: [0], oodFlagged: false }], { labels: ['a'], thresholds: { a: 0.5 } });
    const json = JSON.parse(JSON.stringify(single.summary)) as { macroAuc: unknown; perLabel: { a: { auc: unknown; sensitivity: unknown; specificity: number } } };
    expect(json.macroAuc).toBeNull();
    expect(json.perLabel.a.auc).toBeNull();
    expect(json.perLabel.a.sensitivity).toBeNull();
    expect(json.perLabel.a.specificity).toBe(1);
  });

  it('refuses a label without a threshold and rows of the wrong width', () => {
    expect(() => summarizePredictions(records, { labels: ['a', 'b'], thresholds: { a: 0.4 } })).toThrow('The model card has no threshold for label "b".');
    expect(() => summarizePredictions(records, { labels: ['a'], thresholds: { a: 0.4 } })).toThrow('Expected 1 logits per image (one per label), but image 0 has 2.');
  });
});

describe('summarizePredictions at scale', () => {
  it('handles 200,000 images (no argument-spread limits) with the exact AUC of a known ordering', () => {
    // Scores i / n, positive iff i is odd: each positive outranks the negatives below it.
    // With n = 200,000: positives at 1, 3, …; positive 2k+1 beats k+1 negatives (0, 2, …, 2k).
    // AUC = Σ_{k=0}^{m−1} (k + 1) / m² with m = 100,000 = (m + 1) / (2m).
    const n = 200_000;
    const records: PredictionRecord[] = Array.from({ length: n }, (_, i) => ({ logits: [0], scores: [i / n], truth: [i % 2], oodFlagged: false }));
    const { summary } = summarizePredictions(records, { labels: ['a'], thresholds: { a: 0.5 }, bootstrapIterations: 5 });
    expect(summary.perLabel.a!.auc).toBeCloseTo((100_000 + 1) / 200_000, 12);
    expect(summary.n).toBe(n);
  });
});
