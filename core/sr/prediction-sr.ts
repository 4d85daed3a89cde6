/**
 * One prediction of the one inference pipeline (core/model/predict.ts) as a DICOM SR: the
 * bridge the CLI (`radlocal predict --sr`) and the viewer (export / send to the PACS) share,
 * so both write the same document for the same image and model.
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import type { Prediction } from '../model/predict.ts';
import { writeSr, type SrDocument } from './build-sr.ts';
import { srSourceOf } from './sr-source.ts';

/** RadLocal's version as written into Software Versions (0018,1020) of every SR. */
export const RADLOCAL_SOFTWARE_VERSION = 'RadLocal 0.1.0';

export type SrPrediction = Pick<Prediction, 'labels' | 'scores' | 'thresholds' | 'positives' | 'ood' | 'modelSha256'>;

export interface PredictionSrOptions {
  model: { name: string; version: string };
  now: Date;
  /** Fixed identities for tests; fresh UIDs otherwise. */
  sopInstanceUID?: string;
  seriesInstanceUID?: string;
  deviceObserverUID?: string;
}

/**
 * @param image the decoded DICOM image the prediction was made on (PNG/JPEG have no study: refused
 *   with DICOM_INVALID_ATTRIBUTE)
 */
export function predictionSr(image: Pick<DecodedImage, 'tags' | 'studyInstanceUID' | 'seriesInstanceUID' | 'sopClassUID' | 'sopInstanceUID'>, prediction: SrPrediction, options: PredictionSrOptions): SrDocument {
  return writeSr({
    source: srSourceOf(image),
    findings: prediction.labels.map((label) => ({
      label,
      score: prediction.scores[label] ?? Number.NaN,
      threshold: prediction.thresholds[label] ?? Number.NaN,
      positive: prediction.positives.includes(label),
    })),
    ood: { flagged: prediction.ood.flagged, distance: prediction.ood.distance, threshold: prediction.ood.threshold, reasons: prediction.ood.reasons },
    model: { name: options.model.name, version: options.model.version, sha256: prediction.modelSha256 },
    softwareVersion: RADLOCAL_SOFTWARE_VERSION,
    now: options.now,
    ...(options.sopInstanceUID ? { sopInstanceUID: options.sopInstanceUID } : {}),
    ...(options.seriesInstanceUID ? { seriesInstanceUID: options.seriesInstanceUID } : {}),
    ...(options.deviceObserverUID ? { deviceObserverUID: options.deviceObserverUID } : {}),
  });
}
