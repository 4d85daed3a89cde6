/**
 * Reading a site profile the reader opened or the model folder bundles: parsed with the site
 * profile schema and checked against the model in use. Its own chunk, loaded when a profile is
 * there — the schema library is not part of the page's start-up.
 */
import { checkSiteProfile, parseSiteProfile, type SiteProfile } from '../../../../core/site/site-profile.ts';

/** @throws RadLocalError SITE_PROFILE_INVALID, SITE_PROFILE_MISMATCH (core/site/site-profile.ts). */
export function readSiteProfile(bytes: Uint8Array, modelSha256: string, labels: readonly string[]): SiteProfile {
  const profile = parseSiteProfile(bytes);
  checkSiteProfile(profile, modelSha256, labels);
  return profile;
}
