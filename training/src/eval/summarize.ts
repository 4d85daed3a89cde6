/**
 * Turns per-image predictions and ground truth into the `radlocal evaluate` summary
 * (the CLI JSON contract, ARCHITECTURE.md: {n, perLabel: {label: {auc, aucCi95, sensitivity, specificity,
 * threshold}}, macroAuc, ece, oodRate}, plus extra fields) and the curves the HTML report draws.
 * Pure: no model, no files.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { type ReliabilityBin, type RocCurve, bootstrapMacroAucCi, expectedCalibrationError, reliabilityDiagram, rocCurve } from '../../../core/metrics/metrics.ts';
import { applyTemperature } from '../../../core/calibration/temperature.ts';
import { labelSiteMetrics, type LabelSiteMetrics } from '../../../core/site/site-metrics.ts';

export interface PredictionRecord {
  /** Raw logits, one per label in `labels` order. */
  logits: ArrayLike<number>;
  /** Calibrated probabilities (sigmoid(logit / T)), one per label in `labels` order. */
  scores: ArrayLike<number>;
  /** Ground truth, 0/1 per label in `labels` order. */
  truth: ArrayLike<number>;
  /** Whether the out-of-distribution check flagged the image. */
  oodFlagged: boolean;
}

export interface SummaryOptions {
  labels: readonly string[];
  /** Per label: the operating threshold on the calibrated probability (from the model card). */
  thresholds: Readonly<Record<string, number>>;
  bootstrapIterations?: number;
  seed?: number;
  /** Number of equal-width bins for ECE and the reliability diagram (default 15). */
  bins?: number;
}

/**
 * One label's figures: core/site's per-finding metrics (AUC with bootstrap CI, sensitivity and
 * specificity at `threshold` with Wilson CIs, confusion, ECE of the calibrated scores, Brier,
 * calibration slope/intercept, prevalence — the numbers site validation shows), plus the ECE of
 * sigmoid(logit) before calibration.
 */
export interface LabelSummary extends LabelSiteMetrics {
  eceBeforeCalibration: number;
}

export interface EvaluationSummary {
  n: number;
  perLabel: Record<string, LabelSummary>;
  /** Mean AUC over labels whose AUC is defined; NaN when none is. */
  macroAuc: number;
  /** Bootstrap 95% CI of the macro-AUC (images resampled together across labels). */
  macroAucCi95: [number, number];
  /** Pooled over all labels and images: calibrated scores, then sigmoid(logit). */
  ece: number;
  eceBeforeCalibration: number;
  /** Fraction of images the OOD check flagged. */
  oodRate: number;
}

export interface EvaluationCurves {
  roc: Record<string, RocCurve>;
  reliabilityBefore: ReliabilityBin[];
  reliabilityAfter: ReliabilityBin[];
}

/** Column `j` of per-record arrays, as a Float64Array. */
function column(records: readonly PredictionRecord[], key: 'logits' | 'scores' | 'truth', j: number): Float64Array {
  return Float64Array.from(records, (r) => r[key][j] as number);
}

export function summarizePredictions(records: readonly PredictionRecord[], options: SummaryOptions): { summary: EvaluationSummary; curves: EvaluationCurves } {
  const { labels, thresholds, bootstrapIterations = 1000, seed = 0, bins = 15 } = options;
  if (records.length === 0) throw new RadLocalError('DATASET_INVALID', 'Expected at least one image to evaluate, but the selection is empty.');
  records.forEach((r, i) => {
    for (const key of ['logits', 'scores', 'truth'] as const) {
      if (r[key].length !== labels.length) {
        throw new RadLocalError('INTERNAL', `Expected ${labels.length} ${key} per image (one per label), but image ${i} has ${r[key].length}.`);
      }
    }
  });

  const perLabel: Record<string, LabelSummary> = {};
  const roc: Record<string, RocCurve> = {};
  const pooledBefore: number[] = [];
  const pooledAfter: number[] = [];
  const pooledTruth: number[] = [];
  labels.forEach((label, j) => {
    const threshold = thresholds[label];
    if (threshold === undefined) throw new RadLocalError('MODEL_CARD_INVALID', `The model card has no threshold for label "${label}".`);
    const scores = column(records, 'scores', j);
    const truth = column(records, 'truth', j);
    const before = applyTemperature(column(records, 'logits', j), 1);
    perLabel[label] = {
      ...labelSiteMetrics(scores, truth, threshold, { bootstrapIterations, seed: seed + j, bins }),
      eceBeforeCalibration: expectedCalibrationError(before, truth, bins),
    };
    roc[label] = rocCurve(scores, truth);
    // A loop, not push(...array): spreading 10⁵ values overflows the call stack.
    for (let i = 0; i < scores.length; i++) {
      pooledAfter.push(scores[i] as number);
      pooledBefore.push(before[i] as number);
      pooledTruth.push(truth[i] as number);
    }
  });

  const aucs = Object.values(perLabel).map((l) => l.auc).filter((a) => !Number.isNaN(a));
  const scoreColumns = labels.map((_, j) => column(records, 'scores', j));
  const truthColumns = labels.map((_, j) => column(records, 'truth', j));
  const summary: EvaluationSummary = {
    n: records.length,
    perLabel,
    macroAuc: aucs.length === 0 ? Number.NaN : aucs.reduce((a, b) => a + b, 0) / aucs.length,
    macroAucCi95: bootstrapMacroAucCi(scoreColumns, truthColumns, { iterations: bootstrapIterations, seed: seed + labels.length }),
    ece: expectedCalibrationError(pooledAfter, pooledTruth, bins),
    eceBeforeCalibration: expectedCalibrationError(pooledBefore, pooledTruth, bins),
    oodRate: records.filter((r) => r.oodFlagged).length / records.length,
  };
  const curves: EvaluationCurves = {
    roc,
    reliabilityBefore: reliabilityDiagram(pooledBefore, pooledTruth, bins),
    reliabilityAfter: reliabilityDiagram(pooledAfter, pooledTruth, bins),
  };
  return { summary, curves };
}
