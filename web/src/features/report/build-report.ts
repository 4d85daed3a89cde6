/**
 * The per-study JSON report: scores, thresholds, positives, OOD verdict, model identity,
 * the sha256 of each file, timings and the app version. Deliberately no pixels, no patient
 * name or ID, no UIDs and no other tag: the file hash is the link back to the study.
 */
import type { Prediction } from '../../../../core/model/predict.ts';

export const REPORT_SCHEMA = 'radlocal-report/1';

export interface ReportImageInput {
  fileSha256: string;
  frame: number;
  modality: string | undefined;
  decodeMs: number | undefined;
  prediction: Prediction;
}

export interface ReportInput {
  appVersion: string;
  generatedAt: Date;
  model: { name: string; version: string; sha256: string; backend: string; synthetic: boolean; limitations: string[] };
  images: ReportImageInput[];
}

export interface StudyReport {
  schema: typeof REPORT_SCHEMA;
  app: { name: 'RadLocal'; version: string };
  generatedAt: string;
  secondOpinion: string;
  model: ReportInput['model'];
  images: Array<{
    fileSha256: string;
    frame: number;
    modality: string | null;
    scores: Record<string, number>;
    thresholds: Record<string, number>;
    positives: string[];
    /** distance: the OOD detector's score; threshold: the card's limit on it. */
    ood: { distance: number; threshold: number; flagged: boolean; reasons: string[] };
    timingsMs: { decode: number | null; preprocess: number; inference: number; heatmap: number };
  }>;
}

export function buildReport(input: ReportInput): StudyReport {
  return {
    schema: REPORT_SCHEMA,
    app: { name: 'RadLocal', version: input.appVersion },
    generatedAt: input.generatedAt.toISOString(),
    secondOpinion: 'Machine second opinion for review by a radiologist; not a diagnosis.',
    model: { ...input.model, limitations: [...input.model.limitations] },
    images: input.images.map((img) => ({
      fileSha256: img.fileSha256,
      frame: img.frame,
      modality: img.modality ?? null,
      scores: { ...img.prediction.scores },
      thresholds: { ...img.prediction.thresholds },
      positives: [...img.prediction.positives],
      ood: { distance: img.prediction.ood.distance, threshold: img.prediction.ood.threshold, flagged: img.prediction.ood.flagged, reasons: [...img.prediction.ood.reasons] },
      timingsMs: {
        decode: img.decodeMs ?? null,
        preprocess: img.prediction.timings.preprocessMs,
        inference: img.prediction.timings.inferenceMs,
        heatmap: img.prediction.timings.postprocessMs,
      },
    })),
  };
}
