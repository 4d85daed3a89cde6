/**
 * The site profile: what a hospital learnt about one model on its own labelled cases —
 * written by `radlocal calibrate` or the viewer's "Validate at this site" view (downloaded by
 * the user, never uploaded, never kept in browser storage) and applied by `radlocal predict
 * --site`, `radlocal evaluate --site` and the viewer. It is bound to the exact model: its
 * `model.sha256` is the SHA-256 of the model card (which lists the hash of every model file);
 * a profile for another model is refused with SITE_PROFILE_MISMATCH.
 *
 * Per finding: the site calibration p = sigmoid(a · logit + b) (a temperature T is a = 1/T,
 * b = 0; Platt scaling fits both), the operating threshold on that probability and where it
 * comes from, whether the finding is switched off by the safety floor, and the metrics on the
 * evaluation half before (the card's calibration and threshold) and after.
 */
import { z } from 'zod';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { parseDocument } from '../schema/parse-document.ts';

export const SITE_PROFILE_FORMAT = 'radlocal-site-profile';
export const SITE_PROFILE_SCHEMA_VERSION = 1;

/** A figure that may be undefined (NaN in memory, null in JSON). */
const figure = z.number().nullable();
const interval = z.tuple([figure, figure]);
const count = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

export const SiteMetricsSchema = z.strictObject({
  n: count,
  positives: count,
  negatives: count,
  prevalence: figure,
  auc: figure,
  aucCi95: interval,
  threshold: figure,
  sensitivity: figure,
  sensitivityCi95: interval,
  specificity: figure,
  specificityCi95: interval,
  confusion: z.strictObject({ tp: count, fp: count, tn: count, fn: count }),
  ece: figure,
  brier: figure,
  calibrationSlope: figure,
  calibrationIntercept: figure,
});

export const SiteFindingSchema = z.strictObject({
  /** p = sigmoid(a · logit + b). */
  calibration: z.strictObject({ a: z.number().finite(), b: z.number().finite() }),
  /** Calibrated probability at or above which the finding is reported positive at this site. */
  threshold: probability,
  /**
   * 'site': chosen on the fit half for the target sensitivity. 'card': the site threshold was
   * refused (too few positives to know its sensitivity), so the card's decision boundary is
   * kept, expressed on the site's probability scale.
   */
  thresholdSource: z.enum(['site', 'card']),
  /** False when the safety floor switched the finding off at this site. */
  enabled: z.boolean(),
  /** Warnings and refusals, in sentences (few positives, threshold refused, switched off). */
  notes: z.array(z.string()),
  /** When the site threshold was refused: labelled images needed (at this prevalence) to set one. */
  casesNeeded: count.optional(),
  /** On the evaluation half: with the card's calibration and threshold, and with the site's. */
  before: SiteMetricsSchema,
  after: SiteMetricsSchema,
});

export const SiteProfileSchema = z.strictObject({
  format: z.literal(SITE_PROFILE_FORMAT),
  schemaVersion: z.literal(SITE_PROFILE_SCHEMA_VERSION),
  site: z.string().min(1),
  createdAt: z.string().min(1),
  model: z.strictObject({
    name: z.string().min(1),
    version: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters'),
  }),
  labels: z.array(z.string().min(1)).min(1),
  data: z.strictObject({
    /** Labelled images read, patients among them, images the OOD check flagged (left out). */
    images: count,
    patients: count,
    oodFlagged: count,
    fit: z.strictObject({ images: count, patients: count }),
    evaluate: z.strictObject({ images: count, patients: count }),
  }),
  settings: z.strictObject({
    method: z.enum(['temperature', 'platt']),
    targetSensitivity: probability,
    /** A finding whose AUC lower 95 % bound is below this is switched off. */
    safetyFloor: probability,
    maxSensitivityHalfWidth: probability,
    minClassCount: count,
    seed: z.number().int(),
    bootstrapIterations: z.number().int().positive(),
  }),
  findings: z.record(z.string(), SiteFindingSchema),
  /** Findings switched off by the safety floor. */
  disabled: z.array(z.string()),
  warnings: z.array(z.string()),
});

export type SiteProfile = z.infer<typeof SiteProfileSchema>;
export type SiteFinding = z.infer<typeof SiteFindingSchema>;
export type SiteMetricsJson = z.infer<typeof SiteMetricsSchema>;

/**
 * Validates a site profile (parsed JSON, JSON text or bytes).
 * @throws RadLocalError SITE_PROFILE_INVALID naming the first failing field.
 */
export function parseSiteProfile(input: unknown): SiteProfile {
  const profile = parseDocument(input, SiteProfileSchema, 'SITE_PROFILE_INVALID', 'site profile');
  const missing = profile.labels.filter((l) => !(l in profile.findings));
  if (missing.length > 0) throw new RadLocalError('SITE_PROFILE_INVALID', `The site profile has no entry for the finding(s) ${missing.join(', ')}.`, { details: { field: 'findings' } });
  return profile;
}

/**
 * Refuses a profile made for another model (other card SHA-256) or other findings.
 * @throws RadLocalError SITE_PROFILE_MISMATCH.
 */
export function checkSiteProfile(profile: SiteProfile, modelSha256: string, labels: readonly string[]): void {
  if (profile.model.sha256 !== modelSha256) {
    throw new RadLocalError(
      'SITE_PROFILE_MISMATCH',
      `This site profile (${profile.site}) was made for model ${profile.model.name} ${profile.model.version} (sha256 ${profile.model.sha256.slice(0, 12)}…), not for the model in use (sha256 ${modelSha256.slice(0, 12)}…): its calibration and thresholds do not apply. Validate and recalibrate this model at your site.`,
      { details: { expected: modelSha256, profile: profile.model.sha256 } },
    );
  }
  if (profile.labels.join(',') !== labels.join(',')) {
    throw new RadLocalError('SITE_PROFILE_MISMATCH', `This site profile covers the findings ${profile.labels.join(', ')}, but the model reports ${labels.join(', ')}.`);
  }
}
