/**
 * "Validate at this site": the model's figures on every labelled image of the site, as the
 * model would be used there — with the card's calibration and thresholds, or with a site
 * profile's. Images the OOD check flags are left out of the figures and reported apart: the
 * same figures on them alone show what the model would have said had its gate let them through.
 */
import { calibratedScore } from '../model/calibration.ts';
import type { ModelCard } from '../model/model-card.ts';
import { siteScore } from './apply-site-profile.ts';
import { sortedByKey, type SiteCase } from './recalibrate-site.ts';
import { labelSiteMetrics, type LabelSiteMetrics, type SiteMetricsOptions } from './site-metrics.ts';
import type { SiteProfile } from './site-profile.ts';

export interface SiteValidation {
  /** Images read, and those the OOD check flagged (left out of the figures). */
  images: number;
  patients: number;
  oodFlagged: number;
  /** 'card', or the site whose profile calibrated the scores. */
  calibratedFor: string;
  /** On the images within the model's domain. */
  perLabel: Record<string, LabelSiteMetrics>;
  /** The same figures on the flagged images alone, reported apart (absent when none is flagged). */
  flaggedPerLabel?: Record<string, LabelSiteMetrics>;
}

export function validateSite(card: ModelCard, cases: readonly SiteCase[], options: SiteMetricsOptions & { profile?: SiteProfile } = {}): SiteValidation {
  const { profile, ...metricsOptions } = options;
  const sorted = sortedByKey(cases);
  const figures = (subset: readonly SiteCase[]): Record<string, LabelSiteMetrics> => {
    const perLabel: Record<string, LabelSiteMetrics> = {};
    card.labels.forEach((label, j) => {
      const known = subset.filter((c) => c.known === undefined || c.known[j] !== 0);
      const probs = Float64Array.from(known, (c) => {
        const logit = c.logits[j] as number;
        return profile ? siteScore(profile, label, logit) : calibratedScore(card, label, logit);
      });
      const truth = Float64Array.from(known, (c) => c.truth[j] as number);
      const threshold = profile ? (profile.findings[label]?.threshold ?? 1) : (card.thresholds[label]?.threshold ?? 1);
      perLabel[label] = labelSiteMetrics(probs, truth, threshold, { ...metricsOptions, seed: (metricsOptions.seed ?? 0) + j });
    });
    return perLabel;
  };
  const inDistribution = sorted.filter((c) => !c.oodFlagged);
  const flagged = sorted.filter((c) => c.oodFlagged);
  return {
    images: cases.length,
    patients: new Set(cases.map((c) => c.patientId)).size,
    oodFlagged: flagged.length,
    calibratedFor: profile ? profile.site : 'card',
    perLabel: figures(inDistribution),
    ...(flagged.length > 0 ? { flaggedPerLabel: figures(flagged) } : {}),
  };
}
