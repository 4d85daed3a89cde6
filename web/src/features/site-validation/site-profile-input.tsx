/**
 * Opens a site profile the user chose and applies it to this session (in memory only), after
 * checking it against the loaded model: another model's profile is refused with
 * SITE_PROFILE_MISMATCH.
 */
import { useState } from 'react';
import { toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ModelCard } from '../../../../core/model/model-card.ts';
import { setSiteProfile, siteProfileStore } from '../../shared/site/site-profile-store.ts';
import { useStore } from '../../shared/store/create-store.ts';

export function SiteProfileInput({ model }: { model: { card: ModelCard; modelSha256: string } | undefined }) {
  const applied = useStore(siteProfileStore, (s) => s);
  const [error, setError] = useState<SerializedError | undefined>();
  const open = async (file: File | undefined): Promise<void> => {
    setError(undefined);
    if (!file || !model) return;
    try {
      // The schema (and its library) loads when a profile is opened, not with the page.
      const { readSiteProfile } = await import('./profile-checks.ts');
      const profile = readSiteProfile(new Uint8Array(await file.arrayBuffer()), model.modelSha256, model.card.labels);
      setSiteProfile({ profile, origin: 'opened' });
    } catch (e) {
      setError(toSerializedError(e));
    }
  };
  return (
    <div className="site-row">
      <label className="button">
        Open a site profile…
        <input type="file" accept=".json,application/json" className="visually-hidden" data-testid="site-profile-input" disabled={!model} onChange={(e) => void open(e.currentTarget.files?.[0])} />
      </label>
      {applied ? (
        <span data-testid="site-profile-applied" data-site={applied.profile.site}>
          Applied: calibrated for {applied.profile.site}, n = {applied.profile.data.images} ({applied.origin === 'bundled' ? 'bundled with the model' : 'opened'}){' '}
          <button type="button" className="button" data-testid="site-profile-remove" onClick={() => setSiteProfile(undefined)}>
            Use the card's calibration
          </button>
        </span>
      ) : (
        <span className="muted small">Scores use the model card's calibration.</span>
      )}
      {error && (
        <div className="typed-error" role="alert" data-testid="site-profile-error" data-code={error.code}>
          <code className="error-code">{error.code}</code> {error.message}
        </div>
      )}
    </div>
  );
}
