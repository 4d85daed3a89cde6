/**
 * "Validate at this site": the user opens a folder of the site's images with its labels CSV
 * (the layouts radlocal train reads); every image is scored through the viewer's own decode
 * and inference workers (bounded memory: only scores are kept); the page shows per finding
 * AUC, sensitivity and specificity with CIs, calibration and prevalence (core/site, the same
 * code as `radlocal calibrate`), recalibrates without optimism, and lets the user download
 * the site profile and apply it. Nothing is uploaded or written to browser storage.
 */
import { useEffect, useRef, useState } from 'react';
import { toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ModelCard } from '../../../../core/model/model-card.ts';
import { recalibrateSite } from '../../../../core/site/recalibrate-site.ts';
import type { SiteProfile } from '../../../../core/site/site-profile.ts';
import { validateSite, type SiteValidation } from '../../../../core/site/validate-site.ts';
import { downloadJson } from '../../shared/download/download-json.ts';
import { setSiteProfile } from '../../shared/site/site-profile-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { readSiteFolder, type SiteFolder } from './read-site-folder.ts';
import { runSiteCases, type ScoreFile, type SiteRun } from './run-site-cases.ts';
import { RecalibrationTable, SiteMetricsTable } from './site-metrics-table.tsx';
import { SiteProfileInput } from './site-profile-input.tsx';
import './site-validation.css';

export interface SiteValidationViewProps {
  model: { card: ModelCard; modelSha256: string } | undefined;
  score: ScoreFile;
  onClose: () => void;
}

/** Same defaults as `radlocal calibrate`, so the page and the CLI give the same numbers. */
const BOOTSTRAP = 1000;
const SEED = 0;

function folderName(files: readonly File[]): string {
  return files[0]?.webkitRelativePath.split('/')[0] || 'this site';
}

export function SiteValidationView({ model, score, onClose }: SiteValidationViewProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const abort = useRef<AbortController | undefined>(undefined);
  const [folder, setFolder] = useState<SiteFolder | undefined>();
  const [site, setSite] = useState('');
  const [method, setMethod] = useState<'platt' | 'temperature'>('platt');
  const [target, setTarget] = useState(0.9);
  const [floor, setFloor] = useState(0.75);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [run, setRun] = useState<SiteRun | undefined>();
  const [validation, setValidation] = useState<SiteValidation | undefined>();
  const [profile, setProfile] = useState<SiteProfile | undefined>();
  const [error, setError] = useState<SerializedError | undefined>();
  const running = progress !== undefined && run === undefined;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => abort.current?.abort();
  }, []);

  const onFolder = async (files: File[]): Promise<void> => {
    setError(undefined);
    setRun(undefined);
    setValidation(undefined);
    setProfile(undefined);
    setProgress(undefined);
    if (!model || files.length === 0) return;
    try {
      setFolder(await readSiteFolder(files, model.card.labels));
      setSite(folderName(files));
    } catch (e) {
      setFolder(undefined);
      setError(toSerializedError(e));
    }
  };

  const validate = async (): Promise<void> => {
    if (!model || !folder) return;
    setError(undefined);
    setRun(undefined);
    setValidation(undefined);
    setProfile(undefined);
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ done: 0, total: folder.images.length });
    const result = await runSiteCases(folder.images, model.card.labels, score, { signal: controller.signal, onProgress: (done, total) => setProgress({ done, total }) });
    setRun(result);
    if (result.cases.length === 0) return;
    try {
      setValidation(validateSite(model.card, result.cases, { bootstrapIterations: BOOTSTRAP, seed: SEED }));
    } catch (e) {
      setError(toSerializedError(e));
    }
  };

  const recalibrate = (): void => {
    if (!model || !run) return;
    try {
      setProfile(
        recalibrateSite(model.card, model.modelSha256, run.cases, {
          site: site.trim() || 'this site',
          createdAt: new Date().toISOString(),
          method,
          targetSensitivity: target,
          safetyFloor: floor,
          seed: SEED,
          bootstrapIterations: BOOTSTRAP,
        }),
      );
    } catch (e) {
      setError(toSerializedError(e));
    }
  };

  const slug = (site.trim() || 'site').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return (
    <dialog ref={dialog} className="help-dialog site-dialog" onClose={onClose} data-testid="site-validation">
      <div className="help-head">
        <h2>Validate at this site</h2>
        <button type="button" className="tool" aria-label="Close" onClick={() => dialog.current?.close()}>
          <Icon name="close" />
        </button>
      </div>
      <p className="muted small">
        Open a folder of your site's labelled images with its labels CSV (labels.csv, or a CSV manifest as radlocal train reads). Every image is
        scored here, in this browser; nothing is uploaded or stored. Recalibration fits on half of the patients and measures on the other half.
      </p>
      {!model && <p data-testid="site-no-model">The model is not loaded yet.</p>}
      <div className="site-row">
        <label className="button">
          Open site folder…
          <input
            type="file"
            className="visually-hidden"
            data-testid="site-folder-input"
            multiple
            {...{ webkitdirectory: '' }}
            disabled={!model || running}
            onChange={(e) => void onFolder(Array.from(e.currentTarget.files ?? []))}
          />
        </label>
        {folder && (
          <span data-testid="site-folder-summary" data-images={folder.images.length} data-missing={folder.missing.length}>
            {folder.images.length} labelled images ({folder.manifestName}){folder.missing.length > 0 ? `, ${folder.missing.length} listed but not in the folder` : ''}
          </span>
        )}
      </div>
      <div className="site-row">
        <label>
          Site name <input data-testid="site-name" value={site} onChange={(e) => setSite(e.currentTarget.value)} />
        </label>
        <label>
          Calibration{' '}
          <select data-testid="site-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as 'platt' | 'temperature')}>
            <option value="platt">Platt (also absorbs prevalence)</option>
            <option value="temperature">Temperature</option>
          </select>
        </label>
        <label>
          Target sensitivity <input data-testid="site-target" type="number" min={0.5} max={0.99} step={0.01} value={target} onChange={(e) => setTarget(Number(e.currentTarget.value))} />
        </label>
        <label>
          Safety floor (AUC lower bound) <input data-testid="site-floor" type="number" min={0} max={1} step={0.05} value={floor} onChange={(e) => setFloor(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div className="site-row">
        <button type="button" className="button button-primary" data-testid="site-validate" disabled={!folder || folder.images.length === 0 || running} onClick={() => void validate()}>
          Validate
        </button>
        <button type="button" className="button" data-testid="site-cancel" disabled={!running} onClick={() => abort.current?.abort()}>
          Cancel
        </button>
        {progress && (
          <>
            <progress data-testid="site-progress" max={progress.total} value={progress.done} data-done={progress.done} data-total={progress.total} />
            <span className="muted small">
              {progress.done} / {progress.total}
              {run?.cancelled ? ' — cancelled' : ''}
            </span>
          </>
        )}
      </div>
      {error && (
        <div className="typed-error" role="alert" data-testid="site-error" data-code={error.code}>
          <code className="error-code">{error.code}</code> {error.message}
        </div>
      )}
      {run && run.failed.length > 0 && (
        <p className="muted small" data-testid="site-failed">
          {run.failed.length} image(s) could not be read and are left out (first: {run.failed[0]?.key}: {run.failed[0]?.error.message}).
        </p>
      )}
      {validation && model && (
        <section data-testid="site-validation-result" data-images={validation.images} data-ood-flagged={validation.oodFlagged}>
          <h3>
            {model.card.name} at this site, with the card's calibration and thresholds: {validation.images} images of {validation.patients} patients
            {validation.oodFlagged > 0 ? `; ${validation.oodFlagged} flagged out of distribution (${((100 * validation.oodFlagged) / validation.images).toFixed(1)}%), reported apart` : ''}
          </h3>
          <SiteMetricsTable labels={model.card.labels} perLabel={validation.perLabel} testId="site-metrics" />
          {validation.flaggedPerLabel && (
            <>
              <h3>Reported apart: the {validation.oodFlagged} images flagged out of distribution (their scores are greyed in the viewer)</h3>
              <SiteMetricsTable labels={model.card.labels} perLabel={validation.flaggedPerLabel} testId="site-metrics-flagged" />
            </>
          )}
          <div className="site-row">
            <button type="button" className="button button-primary" data-testid="site-recalibrate" disabled={running} onClick={recalibrate}>
              Recalibrate for this site
            </button>
          </div>
        </section>
      )}
      {profile && (
        <section data-testid="site-profile-result">
          <h3>
            Recalibrated ({profile.settings.method}) on {profile.data.fit.images} images of {profile.data.fit.patients} patients; measured on the other{' '}
            {profile.data.evaluate.images} images of {profile.data.evaluate.patients} patients
          </h3>
          <RecalibrationTable profile={profile} />
          {profile.warnings.length > 0 && (
            <ul className="site-warnings" data-testid="site-warnings">
              {profile.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <div className="site-row">
            <button type="button" className="button button-primary" data-testid="site-download" onClick={() => downloadJson(profile, `site-profile-${slug}.json`)}>
              Download site profile
            </button>
            <button type="button" className="button" data-testid="site-apply" onClick={() => setSiteProfile({ profile, origin: 'opened' })}>
              Apply to this session
            </button>
          </div>
        </section>
      )}
      <hr />
      <SiteProfileInput model={model} />
    </dialog>
  );
}
