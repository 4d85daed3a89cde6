/**
 * Everything the HTML evaluation report shows, gathered by `radlocal evaluate` before
 * rendering. Plain data (JSON-serialisable; NaN becomes null).
 */
import type { OodBenchmark } from '../../../core/model/ood-schema.ts';
import type { EvaluationExample } from '../eval/evaluate-model.ts';
import type { EvaluationCurves, EvaluationSummary } from '../eval/summarize.ts';

export interface ReportEpoch {
  epoch: number;
  loss: number;
  valLoss: number;
  valAuc: number;
}

/** An evaluation example as the report shows it: scores and truth, the images as PNG data URLs. */
export interface ReportExample extends Pick<EvaluationExample, 'name' | 'truth' | 'scores' | 'positives' | 'oodFlagged'> {
  /** The model input rendered grey, as a PNG data URL. */
  image: string;
  /** Per label: the activation map over the image, as a PNG data URL (absent when CAM is unavailable). */
  overlays: Record<string, string>;
}

export interface ReportModel {
  name: string;
  version: string;
  sha256: string;
  createdAt: string;
  labels: string[];
  temperatures: Record<string, number>;
  /** Where the temperatures and thresholds were fitted (the card's `calibration.fittedOn`). */
  calibrationFittedOn: string;
  intendedUse: string;
  limitations: string[];
  syntheticTrainingData: boolean;
  bestEpoch: number | undefined;
}

export interface ReportInput {
  title: string;
  generatedAt: string;
  /** Where the evaluated images came from, e.g. "phantom-test (split test)". */
  dataDescription: string;
  model: ReportModel;
  summary: EvaluationSummary;
  curves: EvaluationCurves;
  history: ReportEpoch[];
  examples: ReportExample[];
  /** The OOD benchmark (`radlocal evaluate --ood`), when it was run. */
  oodBenchmark?: OodBenchmark;
}
