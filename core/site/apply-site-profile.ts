/**
 * Applying a site profile to a model's outputs: the site calibration p = sigmoid(a·logit + b)
 * per finding, the site thresholds, and the findings the safety floor switched off (their
 * score is kept for reference but they are never reported positive). Used by `radlocal
 * predict --site`, `radlocal evaluate --site` and the viewer worker alike.
 */
import { sigmoid } from '../calibration/temperature.ts';
import type { SiteProfile } from './site-profile.ts';

/** What the viewer and the CLI say next to the scores ("calibrated for <site>, n = …"). */
export interface SiteStamp {
  site: string;
  /** Labelled images the profile was made from. */
  n: number;
  createdAt: string;
  /** Findings switched off at this site. */
  disabled: string[];
  /** Findings whose site threshold was refused: they keep the card's decision boundary (on the site's scale). */
  cardBoundary: string[];
}

export function siteStamp(profile: SiteProfile): SiteStamp {
  return {
    site: profile.site,
    n: profile.data.images,
    createdAt: profile.createdAt,
    disabled: [...profile.disabled],
    cardBoundary: profile.labels.filter((l) => profile.findings[l]?.thresholdSource === 'card'),
  };
}

/** The site-calibrated probability of finding `label` (which the profile must cover). */
export function siteScore(profile: SiteProfile, label: string, logit: number): number {
  const finding = profile.findings[label];
  return finding ? sigmoid(finding.calibration.a * logit + finding.calibration.b) : Number.NaN;
}

/** The part of a prediction a site profile rewrites. */
export interface SiteScorable {
  labels: string[];
  logits: Record<string, number>;
  scores: Record<string, number>;
  thresholds: Record<string, number>;
  positives: string[];
}

/**
 * A copy of `prediction` with the site's scores, thresholds and positives, stamped with the
 * site. The caller checks the profile against the model first (checkSiteProfile).
 */
export function applySiteProfile<P extends SiteScorable>(profile: SiteProfile, prediction: P): P & { site: SiteStamp } {
  const scores: Record<string, number> = {};
  const thresholds: Record<string, number> = {};
  for (const label of prediction.labels) {
    scores[label] = siteScore(profile, label, prediction.logits[label] as number);
    thresholds[label] = profile.findings[label]?.threshold ?? 1;
  }
  const positives = prediction.labels.filter((l) => profile.findings[l]?.enabled === true && (scores[l] as number) >= (thresholds[l] as number));
  return { ...prediction, scores, thresholds, positives, site: siteStamp(profile) };
}
