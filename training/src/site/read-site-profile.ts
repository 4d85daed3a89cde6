/** `--site site.json` of `radlocal predict` / `radlocal evaluate`: read, validate, bind to the loaded model. */
import { readFile } from 'node:fs/promises';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { LoadedModel } from '../../../core/model/load-model.ts';
import { checkSiteProfile, parseSiteProfile, type SiteProfile } from '../../../core/site/site-profile.ts';

/**
 * @throws RadLocalError SITE_PROFILE_INVALID (unreadable or malformed), SITE_PROFILE_MISMATCH (another model).
 */
export async function readSiteProfile(path: string, loaded: LoadedModel): Promise<SiteProfile> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new RadLocalError('SITE_PROFILE_INVALID', `Could not read the site profile ${path}: ${(error as Error).message}.`, { cause: error });
  }
  const profile = parseSiteProfile(bytes);
  checkSiteProfile(profile, loaded.modelSha256, loaded.card.labels);
  return profile;
}
