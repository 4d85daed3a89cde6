import { describe, expect, it } from 'vitest';
import { pickExamples } from './evaluate-model.ts';
import type { PredictionRecord } from './summarize.ts';

const record = (scores: number[], truth: number[]): PredictionRecord => ({ logits: scores, scores, truth, oodFlagged: false });

describe('pickExamples', () => {
  // Two labels, thresholds 0.5 and 0.4.
  const records = [
    record([0.9, 0.1], [1, 0]), // 0: label-0 true positive (best)
    record([0.7, 0.2], [1, 0]), // 1: label-0 true positive
    record([0.2, 0.8], [1, 1]), // 2: label-0 miss (0.2), label-1 true positive (best)
    record([0.3, 0.1], [1, 0]), // 3: label-0 miss (0.3)
    record([0.6, 0.45], [0, 0]), // 4: label-0 false alarm (0.6), label-1 false alarm (0.45)
    record([0.1, 0.3], [0, 1]), // 5: label-1 miss (0.3)
    record([0.55, 0.0], [0, 0]), // 6: label-0 false alarm (0.55)
  ];

  it('orders true positives, misses, then false alarms per label, then by highest score', () => {
    // TP: label 0 → 0, label 1 → 2. Misses: label 0 → 2 is taken, so 3; label 1 → 5.
    // False alarms: label 0 → 4 (0.6); label 1 → 4 is taken, none left. Rest by max score: 1 (0.7), 6 (0.55).
    expect(pickExamples(records, [0.5, 0.4], 10)).toEqual([0, 2, 3, 5, 4, 1, 6]);
    expect(pickExamples(records, [0.5, 0.4], 3)).toEqual([0, 2, 3]);
    expect(pickExamples(records, [0.5, 0.4], 0)).toEqual([]);
  });
});
