/**
 * A site profile bundled with the model (`models/<name>/site-profile.json`, put there by the
 * site's administrator): looked up in the build's file list, fetched once, same-origin, after
 * the model is ready, and applied when it is for this model. Absent (the usual case) → nothing
 * is fetched but the file list.
 */
import { toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { SiteProfile } from '../../../../core/site/site-profile.ts';

export const BUNDLED_SITE_PROFILE = 'site-profile.json';

/** Whether the build lists `path` (its precache manifest names every file it serves; none in dev). */
async function buildHas(appBase: string, path: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('precache-manifest.json', appBase));
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return false;
    const manifest = (await response.json()) as { files?: unknown };
    return Array.isArray(manifest.files) && manifest.files.includes(path);
  } catch {
    return false;
  }
}

/**
 * @param appBase the app's base URL. @param modelPath the model folder relative to it (`./models/NAME/`).
 * @returns the profile, undefined when the model folder has none, or the typed error when it
 *   has one that is malformed or made for another model. Only files of the build are requested.
 */
export async function loadBundledSiteProfile(appBase: string, modelPath: string, modelSha256: string, labels: readonly string[]): Promise<SiteProfile | SerializedError | undefined> {
  const path = `${modelPath.replace(/^\.\//, '')}${BUNDLED_SITE_PROFILE}`;
  if (!(await buildHas(appBase, path))) return undefined;
  try {
    const response = await fetch(new URL(path, appBase));
    // The schema (and its library) loads only when a profile is there to check.
    const { readSiteProfile } = await import('./profile-checks.ts');
    return readSiteProfile(new Uint8Array(await response.arrayBuffer()), modelSha256, labels);
  } catch (error) {
    return toSerializedError(error);
  }
}
