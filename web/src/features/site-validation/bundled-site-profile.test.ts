import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SiteMetricsJson, SiteProfile } from '../../../../core/site/site-profile.ts';
import { loadBundledSiteProfile } from './bundled-site-profile.ts';

const SHA = 'a'.repeat(64);
const LABELS = ['nodule'];
const metrics: SiteMetricsJson = {
  n: 0, positives: 0, negatives: 0, prevalence: null, auc: null, aucCi95: [null, null], threshold: 0.5, sensitivity: null, sensitivityCi95: [null, null],
  specificity: null, specificityCi95: [null, null], confusion: { tp: 0, fp: 0, tn: 0, fn: 0 }, ece: null, brier: null, calibrationSlope: null, calibrationIntercept: null,
};
const profile = {
  format: 'radlocal-site-profile', schemaVersion: 1, site: 'County', createdAt: '2026-11-29', model: { name: 'm', version: '1', sha256: SHA }, labels: LABELS,
  data: { images: 1, patients: 1, oodFlagged: 0, fit: { images: 1, patients: 1 }, evaluate: { images: 0, patients: 0 } },
  settings: { method: 'platt', targetSensitivity: 0.9, safetyFloor: 0.75, maxSensitivityHalfWidth: 0.1, minClassCount: 100, seed: 0, bootstrapIterations: 10 },
  findings: { nodule: { calibration: { a: 1, b: 0 }, threshold: 0.5, thresholdSource: 'card', enabled: true, notes: [], before: metrics, after: metrics } },
  disabled: [], warnings: [],
} satisfies SiteProfile;

/** A static server holding `files` (path → JSON), answering anything else with the app's HTML as vite preview does. */
function serve(files: Record<string, unknown>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: URL) => {
    const path = url.pathname.slice(1);
    asked.push(path);
    return path in files ? new Response(JSON.stringify(files[path]), { headers: { 'content-type': 'application/json' } }) : new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe('loadBundledSiteProfile', () => {
  it('asks only for the build’s file list when the model folder has no profile', async () => {
    const asked = serve({ 'precache-manifest.json': { version: 'x', files: ['models/m/model-card.json'] } });
    expect(await loadBundledSiteProfile('http://127.0.0.1/', './models/m/', SHA, LABELS)).toBeUndefined();
    expect(asked).toEqual(['precache-manifest.json']);
  });

  it('returns the bundled profile for this model, and SITE_PROFILE_MISMATCH for another model', async () => {
    serve({ 'precache-manifest.json': { version: 'x', files: ['models/m/site-profile.json'] }, 'models/m/site-profile.json': profile });
    expect(await loadBundledSiteProfile('http://127.0.0.1/', './models/m/', SHA, LABELS)).toEqual(profile);
    expect(await loadBundledSiteProfile('http://127.0.0.1/', './models/m/', 'b'.repeat(64), LABELS)).toMatchObject({ code: 'SITE_PROFILE_MISMATCH' });
  });
});
