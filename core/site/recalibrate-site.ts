/**
 * Recalibration at a site without optimism (the procedure behind `radlocal calibrate` and the
 * viewer's "Recalibrate"):
 *
 * 1. Leave out the images the OOD check flags (reported apart), then split the patients in
 *    two halves with a seeded shuffle: a fit half and an evaluation half (images of one
 *    patient never straddle the halves).
 * 2. Per finding, on the fit half: refit the calibration on the logits (a temperature, or
 *    Platt scaling, which also absorbs a prevalence shift) and choose the highest threshold
 *    whose sensitivity meets the target.
 * 3. On the evaluation half only: metrics with the card's calibration and threshold
 *    ("before") and with the site's ("after").
 * 4. Guards: a note below `minClassCount` positives or negatives; the site threshold is
 *    refused when the Wilson 95 % CI of its sensitivity is wider than ± maxSensitivityHalfWidth
 *    (the card's decision boundary is kept, and the profile says how many labelled images
 *    would be needed); a finding whose AUC lower bound is below the safety floor (or cannot
 *    be measured) is switched off.
 *
 * Pure and seeded: the same cases and options give the same profile in Node and the browser.
 */
import { fitPlatt, type PlattParameters } from '../calibration/platt.ts';
import { fitTemperature, sigmoid } from '../calibration/temperature.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { operatingPoint } from '../metrics/metrics.ts';
import { trialsForHalfWidth } from '../metrics/wilson.ts';
import { calibratedScore } from '../model/calibration.ts';
import type { ModelCard } from '../model/model-card.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { labelSiteMetrics, type LabelSiteMetrics } from './site-metrics.ts';
import { parseSiteProfile, SITE_PROFILE_FORMAT, SITE_PROFILE_SCHEMA_VERSION, type SiteProfile } from './site-profile.ts';

/** One labelled image of the site, as the model saw it. */
export interface SiteCase {
  /**
   * The image's path relative to the dataset folder, '/'-separated (as the manifest names it):
   * cases are put in this order first, so the bootstraps draw the same resamples whatever
   * order the images were read in (the viewer and the CLI read them differently).
   */
  key: string;
  patientId: string;
  /** Raw logits, one per card label. */
  logits: ArrayLike<number>;
  /** 0/1 per card label. */
  truth: ArrayLike<number>;
  /** 1 where the truth is known, 0 where the dataset does not say (left out of that finding); absent = all known. */
  known?: ArrayLike<number>;
  /** The card's OOD verdict: flagged images are left out of fitting and metrics. */
  oodFlagged: boolean;
}

export interface RecalibrationOptions {
  /** The site's name as the profile shows it ("calibrated for <site>"). */
  site: string;
  /** ISO date of the profile. */
  createdAt: string;
  method?: 'temperature' | 'platt';
  /** Sensitivity the site thresholds are chosen for (default 0.9). */
  targetSensitivity?: number;
  /** Switch off a finding whose AUC lower 95 % bound is below this (default 0.75). */
  safetyFloor?: number;
  /** Refuse a site threshold whose sensitivity CI half-width exceeds this (default 0.10). */
  maxSensitivityHalfWidth?: number;
  /** Warn below this many positives or negatives of a finding (default 100). */
  minClassCount?: number;
  /** Seed of the patient split and the bootstraps (default 0). */
  seed?: number;
  bootstrapIterations?: number;
}

/** The patients of the fit half: sorted, shuffled with `seed`, the first ⌈n/2⌉. */
export function fitHalfPatients(patientIds: Iterable<string>, seed: number): Set<string> {
  const unique = [...new Set(patientIds)].sort();
  const random = seededRandom(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = unique[i] as string;
    unique[i] = unique[j] as string;
    unique[j] = t;
  }
  return new Set(unique.slice(0, Math.ceil(unique.length / 2)));
}

/** The cases in the order of their keys (code-unit order, the same in every JavaScript engine). */
export function sortedByKey(cases: readonly SiteCase[]): SiteCase[] {
  return [...cases].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** The cases whose truth of finding `j` is known. */
function knownFor(cases: readonly SiteCase[], j: number): SiteCase[] {
  return cases.filter((c) => c.known === undefined || c.known[j] !== 0);
}

function column(cases: readonly SiteCase[], key: 'logits' | 'truth', j: number): Float64Array {
  return Float64Array.from(cases, (c) => c[key][j] as number);
}

/** The card's calibrated probability and threshold of finding `label` for these logits. */
function cardScores(card: ModelCard, label: string, logits: Float64Array): Float64Array {
  return logits.map((z) => calibratedScore(card, label, z));
}

/** The logit at which the card's calibrated probability crosses its threshold. */
function cardBoundaryLogit(card: ModelCard, label: string): number {
  const t = Math.min(1 - 1e-12, Math.max(1e-12, card.thresholds[label]?.threshold ?? 0.5));
  return (card.calibration.temperatures[label] ?? 1) * Math.log(t / (1 - t));
}

function half(cases: readonly SiteCase[]): { images: number; patients: number } {
  return { images: cases.length, patients: new Set(cases.map((c) => c.patientId)).size };
}

/**
 * @returns the site profile (validated by the same schema that reads it back).
 * @throws RadLocalError DATASET_INVALID when fewer than two in-distribution patients remain.
 */
export function recalibrateSite(card: ModelCard, modelSha256: string, cases: readonly SiteCase[], options: RecalibrationOptions): SiteProfile {
  const {
    method = 'platt',
    targetSensitivity = 0.9,
    safetyFloor = 0.75,
    maxSensitivityHalfWidth = 0.1,
    minClassCount = 100,
    seed = 0,
    bootstrapIterations = 1000,
  } = options;
  const labels = card.labels;
  cases.forEach((c, i) => {
    if (c.logits.length !== labels.length || c.truth.length !== labels.length) {
      throw new RadLocalError('INTERNAL', `Expected ${labels.length} logits and truth values per image, but image ${i} has ${c.logits.length} and ${c.truth.length}.`);
    }
  });
  const inDistribution = sortedByKey(cases).filter((c) => !c.oodFlagged);
  const fitPatients = fitHalfPatients(inDistribution.map((c) => c.patientId), seed);
  const fit = inDistribution.filter((c) => fitPatients.has(c.patientId));
  const evaluate = inDistribution.filter((c) => !fitPatients.has(c.patientId));
  if (fit.length === 0 || evaluate.length === 0) {
    throw new RadLocalError(
      'DATASET_INVALID',
      `Expected labelled images of at least two patients within the model's domain to recalibrate, but ${inDistribution.length} of ${cases.length} images (${fitPatients.size} patient(s) in the fit half) remain after the out-of-distribution check.`,
    );
  }

  const warnings: string[] = [];
  const findings: Record<string, unknown> = {};
  const disabled: string[] = [];
  labels.forEach((label, j) => {
    const notes: string[] = [];
    const allTruth = column(knownFor(inDistribution, j), 'truth', j);
    const positives = allTruth.reduce((a, b) => a + b, 0);
    const negatives = allTruth.length - positives;
    if (positives < minClassCount || negatives < minClassCount) {
      notes.push(`Only ${positives} positive and ${negatives} negative images of ${label}: its figures are uncertain; ${minClassCount} or more of each are recommended.`);
    }

    const fitKnown = knownFor(fit, j);
    const fitLogits = column(fitKnown, 'logits', j);
    const fitTruth = column(fitKnown, 'truth', j);
    // Nothing known to fit on: keep the card's temperature.
    const calibration: PlattParameters =
      fitLogits.length === 0
        ? { a: 1 / (card.calibration.temperatures[label] ?? 1), b: 0 }
        : method === 'platt'
          ? fitPlatt(fitLogits, fitTruth)
          : { a: 1 / fitTemperature(fitLogits, fitTruth), b: 0 };
    const siteProbability = (z: number): number => sigmoid(calibration.a * z + calibration.b);
    const chosen = operatingPoint(fitLogits.map(siteProbability), fitTruth, targetSensitivity).threshold;

    const evalKnown = knownFor(evaluate, j);
    const evalLogits = column(evalKnown, 'logits', j);
    const evalTruth = column(evalKnown, 'truth', j);
    const evalProbs = evalLogits.map(siteProbability);
    const metricsOptions = { bootstrapIterations, seed: seed + j };
    const before = labelSiteMetrics(cardScores(card, label, evalLogits), evalTruth, card.thresholds[label]?.threshold ?? 1, metricsOptions);
    let threshold = chosen;
    let thresholdSource: 'site' | 'card' = 'site';
    let after: LabelSiteMetrics = labelSiteMetrics(evalProbs, evalTruth, chosen, metricsOptions);
    let casesNeeded: number | undefined;
    const [lo, hi] = after.sensitivityCi95;
    const halfWidth = (hi - lo) / 2;
    if (!(halfWidth <= maxSensitivityHalfWidth) || !(calibration.a > 0)) {
      // Keep the card's decision boundary, on the site's probability scale.
      threshold = calibration.a > 0 ? siteProbability(cardBoundaryLogit(card, label)) : (card.thresholds[label]?.threshold ?? 1);
      thresholdSource = 'card';
      after = labelSiteMetrics(evalProbs, evalTruth, threshold, metricsOptions);
      const sensitivity = Number.isNaN(after.sensitivity) ? targetSensitivity : after.sensitivity;
      const perHalf = trialsForHalfWidth(sensitivity, maxSensitivityHalfWidth);
      const prevalence = positives / allTruth.length;
      if (prevalence > 0) casesNeeded = Math.ceil((2 * perHalf) / prevalence);
      notes.push(
        `Site threshold refused: its sensitivity is known only to ± ${Number.isNaN(halfWidth) ? '?' : halfWidth.toFixed(2)} (95 % CI) from ${after.positives} positive images in the evaluation half; ` +
          `± ${maxSensitivityHalfWidth.toFixed(2)} needs ${perHalf} positives per half` +
          (casesNeeded === undefined ? '' : ` — about ${casesNeeded} labelled images at this prevalence`) +
          `. The card's decision boundary is kept.`,
      );
    }
    const aucLow = after.aucCi95[0];
    const enabled = aucLow >= safetyFloor;
    if (!enabled) {
      disabled.push(label);
      notes.push(
        Number.isNaN(aucLow)
          ? `Switched off: its AUC could not be measured here (the evaluation half needs positive and negative images).`
          : `Switched off: AUC lower 95 % bound ${aucLow.toFixed(3)} is below the safety floor ${safetyFloor.toFixed(2)}.`,
      );
    }
    warnings.push(...notes.map((n) => `${label}: ${n}`));
    findings[label] = { calibration, threshold, thresholdSource, enabled, notes, ...(casesNeeded === undefined ? {} : { casesNeeded }), before, after };
  });

  const draft = {
    format: SITE_PROFILE_FORMAT,
    schemaVersion: SITE_PROFILE_SCHEMA_VERSION,
    site: options.site,
    createdAt: options.createdAt,
    model: { name: card.name, version: card.version, sha256: modelSha256 },
    labels: [...labels],
    data: { images: cases.length, patients: new Set(cases.map((c) => c.patientId)).size, oodFlagged: cases.length - inDistribution.length, fit: half(fit), evaluate: half(evaluate) },
    settings: { method, targetSensitivity, safetyFloor, maxSensitivityHalfWidth, minClassCount, seed, bootstrapIterations },
    findings,
    disabled,
    warnings,
  };
  // Through JSON and the reader's schema: what is returned is exactly what a file holds (NaN → null).
  return parseSiteProfile(JSON.parse(JSON.stringify(draft)));
}
