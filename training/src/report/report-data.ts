/**
 * Everything the HTML evaluation report shows, gathered by `radlocal evaluate` before
 * rendering. Plain data (JSON-serialisable; NaN becomes null).
 */
import type { EvaluationCurves, EvaluationSummary } from '../eval/summarize.ts';

export interface ReportEpoch {
  epoch: number;
  loss: number;
  valLoss: number;
  valAuc: number;
}

export interface ReportExample {
  /** Display name of the image (file name, no folders). */
  name: string;
  truth: Record<string, number>;
  scores: Record<string, number>;
  positives: string[];
  oodFlagged: boolean;
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
}
