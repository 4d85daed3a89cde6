/**
 * Scores with the site profile in use (shared/site): every prediction that enters the
 * findings store is calibrated for the site when a profile for this model is applied, and
 * re-scored from its logits (no new inference) when a profile is applied or removed. So the
 * score rows, the worklist, the report and the SR all show the same, site-calibrated numbers.
 */
import { calibratedScores, positiveLabels } from '../../../../core/model/calibration.ts';
import type { ModelCard } from '../../../../core/model/model-card.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import { applySiteProfile, type SiteStamp } from '../../../../core/site/apply-site-profile.ts';
import { siteProfileStore, type AppliedSiteProfile } from '../site/site-profile-store.ts';
import { modelStore } from './model-store.ts';

/** A prediction, with the site it is calibrated for when a site profile applies. */
export type SitePrediction = Prediction & { site?: SiteStamp };

export function withSite(prediction: SitePrediction, applied: AppliedSiteProfile | undefined, card: ModelCard | undefined): SitePrediction {
  if (applied && applied.profile.model.sha256 === prediction.modelSha256) return applySiteProfile(applied.profile, prediction);
  if (!prediction.site || !card) return prediction;
  // Back to the card's calibration.
  const { site: _site, ...rest } = prediction;
  const scores = calibratedScores(card, card.labels.map((l) => prediction.logits[l] as number));
  const thresholds = Object.fromEntries(card.labels.map((l) => [l, card.thresholds[l]?.threshold ?? 1]));
  return { ...rest, scores, thresholds, positives: positiveLabels(card, scores) };
}

export function currentCard(): ModelCard | undefined {
  const model = modelStore.get();
  return model.state === 'ready' ? model.card : undefined;
}

/** The prediction as the session scores it now. */
export function sessionScored(prediction: Prediction): SitePrediction {
  return withSite(prediction, siteProfileStore.get(), currentCard());
}
