/**
 * The card stage: one `fitCard` for every way a model enters RadLocal (trained here,
 * imported, and next recalibrated at a site). From the model's raw outputs (core/model
 * `forward`) on the images set aside for each purpose it fits
 *
 *   calibration   temperature per label (with an optional floor, see floorTemperatures), then
 *                 the operating threshold: the highest whose validation sensitivity has a
 *                 one-sided 95 % lower confidence bound ≥ the target (bounded-threshold.ts),
 *                 so that it holds beyond the validation split;
 *   OOD           per tapped layer, mean and Ledoit–Wolf covariance of the layer summaries on
 *                 one set of images (training), z-scoring and the threshold at a recorded
 *                 acceptance on another (held out), plus the DICOM header values seen;
 *   metrics       per split, with the fitted card: AUC with bootstrap CIs, sensitivity and
 *                 specificity at the threshold, ECE, OOD rate (card-metrics.ts: one NaN rule,
 *                 one bootstrap count);
 *
 * and returns the complete card draft for the export stage to hash and write.
 */
import { fitCalibration } from '../../../core/calibration/fit-calibration.ts';
import type { CardDraft } from '../../../core/model/model-card.ts';
import { summarizeForCard, toCardEvaluation } from './card-metrics.ts';
import { boundedThreshold, THRESHOLD_CONFIDENCE } from './bounded-threshold.ts';
import { fitOodSection, type OodFitInput } from './fit-ood.ts';
import { floorTemperatures } from './floor-temperatures.ts';
import type { OutputSet } from './output-set.ts';

/** What the stage does not fit: identity, input, preprocessing, architecture, data and training records. */
export type CardBase = Omit<CardDraft, 'calibration' | 'thresholds' | 'ood' | 'metrics'>;

export const DEFAULT_TARGET_SENSITIVITY = 0.9;

/** The card as fitted before its metrics are measured. */
export type FittedCard = Omit<CardDraft, 'metrics'>;

/** A split the card reports metrics on; `outputs` gets the fitted card (e.g. to export and reload the model first). */
export interface MetricsSplit {
  split: string;
  outputs: OutputSet | ((card: FittedCard) => Promise<OutputSet>);
}

export interface FitCardInput {
  base: CardBase;
  calibration: {
    /** Logits and truth of the images temperatures and thresholds are fitted on. */
    outputs: Pick<OutputSet, 'logits' | 'truth'>;
    /** Said in the card, e.g. "validation split (22 images)". */
    fittedOn: string;
    targetSensitivity?: number;
    /** Lowest temperature kept (see floorTemperatures); none when undefined. */
    minTemperature?: number;
    /** Confidence of the lower bound on the validation sensitivity the thresholds are chosen by (default THRESHOLD_CONFIDENCE). */
    confidence?: number;
  };
  /** Tapped-layer summaries of the fit and threshold images (see fit-ood.ts). */
  ood: OodFitInput;
  metrics: { test: MetricsSplit; validation?: MetricsSplit };
  /** Seed of the bootstrap. */
  seed: number;
}

export async function fitCard(input: FitCardInput): Promise<CardDraft> {
  const { base } = input;
  const labels = base.labels;
  const target = input.calibration.targetSensitivity ?? DEFAULT_TARGET_SENSITIVITY;
  const calibration = fitCalibration(labels, input.calibration.outputs.logits, input.calibration.outputs.truth, target);
  if (input.calibration.minTemperature !== undefined) floorTemperatures(calibration, labels, input.calibration.outputs, input.calibration.minTemperature, target);
  const { logits, truth } = input.calibration.outputs;
  const thresholds = Object.fromEntries(
    labels.map((label, j) => {
      const t = calibration.temperatures[label] as number;
      const scaled = Float64Array.from(logits, (row) => (row[j] as number) / t);
      return [label, boundedThreshold(scaled, Float64Array.from(truth, (row) => row[j] as number), target, input.calibration.confidence ?? THRESHOLD_CONFIDENCE)];
    }),
  );

  const ood = fitOodSection(input.ood);
  // Key order of the schema: identity, input, architecture, what is fitted here, metrics, then the records.
  const { schemaVersion, name, version, createdAt, labels: _labels, input: modelInput, preprocessing, architecture, ...records } = base;
  const head = {
    schemaVersion,
    name,
    version,
    createdAt,
    labels,
    input: modelInput,
    preprocessing,
    architecture,
    calibration: { method: 'temperature' as const, fittedOn: input.calibration.fittedOn, temperatures: calibration.temperatures },
    thresholds,
    ood,
  };
  const fitted: FittedCard = { ...head, ...records };
  const measure = async (split: MetricsSplit) => {
    const outputs = typeof split.outputs === 'function' ? await split.outputs(fitted) : split.outputs;
    return toCardEvaluation(summarizeForCard(fitted, outputs, input.seed), split.split);
  };
  const validation = input.metrics.validation ? await measure(input.metrics.validation) : undefined;
  const test = await measure(input.metrics.test);
  return { ...head, metrics: { ...(validation ? { validation } : {}), test }, ...records };
}
