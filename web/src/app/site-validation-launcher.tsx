/**
 * Composes "Validate at this site" into the app: the top-bar button and dialog, fed with the
 * loaded model and a scorer that runs a file through the decode and inference workers
 * (decoded pixels transferred, never kept); and the site profile bundled with the model,
 * applied once the model is ready.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Prediction } from '../../../core/model/predict.ts';
import { triageInWorker } from '../shared/decode/decode-client.ts';
import { predictTriaged, modelPreprocessing } from '../features/findings/inference-client.ts';
import { modelStore } from '../shared/findings/model-store.ts';
import { loadBundledSiteProfile } from '../features/site-validation/bundled-site-profile.ts';
import { appConfig } from '../shared/config/app-config.ts';
import { setSiteProfile, siteProfileStore } from '../shared/site/site-profile-store.ts';
import { fileSource } from '../shared/sources/image-source.ts';
import { useStore } from '../shared/store/create-store.ts';

/** The dialog (metrics, bootstrap, recalibration, the profile schema) loads when it is opened, not with the page. */
const SiteValidationView = lazy(() => import('../features/site-validation/site-validation-view.tsx').then((m) => ({ default: m.SiteValidationView })));

async function scoreFile(file: File): Promise<Prediction> {
  return predictTriaged(await triageInWorker(fileSource(file), 0, modelPreprocessing()));
}

export function SiteValidationLauncher() {
  const [open, setOpen] = useState(false);
  const model = useStore(modelStore, (m) => m);
  const applied = useStore(siteProfileStore, (s) => s);
  const ready = model.state === 'ready' ? { card: model.card, modelSha256: model.modelSha256 } : undefined;
  const sha = ready?.modelSha256;
  // The model's identity, not the status object: that is replaced whenever the worker reports
  // (e.g. a backend's warm time), and each run of this effect fetches the build's file list.
  const labelsKey = ready?.card.labels.join('\n');

  useEffect(() => {
    if (!sha || labelsKey === undefined) return;
    const labels = labelsKey.split('\n');
    let live = true;
    void loadBundledSiteProfile(document.baseURI, appConfig.modelPath, sha, labels).then((result) => {
      if (!live || result === undefined) return;
      if ('format' in result) {
        if (siteProfileStore.get() === undefined) setSiteProfile({ profile: result, origin: 'bundled' });
      } else console.warn(`RadLocal: the site profile bundled with the model is not applied: [${result.code}] ${result.message}`);
    });
    return () => {
      live = false;
    };
  }, [sha, labelsKey]);

  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button type="button" className="button" data-testid="site-validation-open" title="Validate and recalibrate the model on your site's labelled images" onClick={() => setOpen(true)}>
        {applied ? `Site: ${applied.profile.site}` : 'Validate at this site'}
      </button>
      {open && (
        <Suspense fallback={null}>
          <SiteValidationView model={ready} score={scoreFile} onClose={close} />
        </Suspense>
      )}
    </>
  );
}
