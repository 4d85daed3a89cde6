/**
 * The site profile the viewer applies (opened by the user, or bundled under the model
 * folder): in memory only — never written to browser storage, gone on reload or when the
 * session is cleared. The findings feature re-scores with it; the site-validation feature
 * sets it.
 */
import type { SiteProfile } from '../../../../core/site/site-profile.ts';
import { createStore } from '../store/create-store.ts';

export interface AppliedSiteProfile {
  profile: SiteProfile;
  /** Where it came from: a file the user opened, or the model folder. */
  origin: 'opened' | 'bundled';
}

export const siteProfileStore = createStore<AppliedSiteProfile | undefined>(undefined);

export function setSiteProfile(applied: AppliedSiteProfile | undefined): void {
  siteProfileStore.set(() => applied);
}
