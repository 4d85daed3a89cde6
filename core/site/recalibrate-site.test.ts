import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/typed-error-code.ts';
import { sigmoid } from '../calibration/temperature.ts';
import type { ModelCard } from '../model/model-card.ts';
import { seededRandom } from '../random/seeded-random.ts';
import { applySiteProfile } from './apply-site-profile.ts';
import { fitHalfPatients, recalibrateSite, type SiteCase } from './recalibrate-site.ts';
import { checkSiteProfile, parseSiteProfile } from './site-profile.ts';

/** The card fields site recalibration reads (the default model's calibration and thresholds). */
const card = {
  name: 'chest-phantom',
  version: '1.0.0',
  labels: ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule'],
  calibration: { method: 'temperature', fittedOn: 'validation split', temperatures: { cardiomegaly: 0.5632, pleural_effusion: 0.6726, pneumothorax: 0.5, nodule: 0.6657 } },
  thresholds: {
    cardiomegaly: { threshold: 0.9905, targetSensitivity: 0.9, sensitivity: 0.91, specificity: 1 },
    pleural_effusion: { threshold: 0.6016, targetSensitivity: 0.9, sensitivity: 0.91, specificity: 1 },
    pneumothorax: { threshold: 0.9999, targetSensitivity: 0.9, sensitivity: 0.92, specificity: 1 },
    nodule: { threshold: 0.0723, targetSensitivity: 0.9, sensitivity: 0.91, specificity: 0.6 },
  },
} as unknown as ModelCard;
const SHA = 'a'.repeat(64);

/**
 * A shifted site: per finding the truth has prevalence `prevalence[j]` and the model's logit
 * is `scale · (separation · (y − ½) + noise) + offset` — overconfident (scale) and shifted (offset).
 */
function site(n: number, seed: number, opts: { scale: number; offset: number; separation: number[]; prevalence: number[]; ood?: number }): SiteCase[] {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, (_, i) => {
    const truth = card.labels.map((_, j) => (random() < (opts.prevalence[j] as number) ? 1 : 0));
    const logits = truth.map((y, j) => opts.scale * ((opts.separation[j] as number) * (y - 0.5) + normal()) + opts.offset);
    // Two images for every third patient.
    return { key: `images/${String(i).padStart(5, '0')}.dcm`, patientId: `P${Math.floor(i / (i % 3 === 0 ? 1 : 2))}`, logits, truth, oodFlagged: random() < (opts.ood ?? 0) };
  });
}

const options = { site: 'County General', createdAt: '2026-11-29', bootstrapIterations: 200 };

describe('fitHalfPatients', () => {
  it('puts half the patients in the fit half, the same for the same seed whatever the order', () => {
    const ids = Array.from({ length: 101 }, (_, i) => `P${i}`);
    const a = fitHalfPatients(ids, 3);
    expect(a.size).toBe(51);
    expect([...fitHalfPatients([...ids].reverse(), 3)].sort()).toEqual([...a].sort());
    expect([...fitHalfPatients(ids, 4)].sort()).not.toEqual([...a].sort());
  });
});

describe('recalibrateSite', () => {
  const cases = site(1600, 1, { scale: 2.5, offset: -1.5, separation: [3, 3, 3, 0.05], prevalence: [0.4, 0.35, 0.3, 0.3], ood: 0.05 });
  const profile = recalibrateSite(card, SHA, cases, options);

  it('splits by patient, leaves OOD images out and records the split', () => {
    expect(profile.data.images).toBe(1600);
    expect(profile.data.oodFlagged).toBe(cases.filter((c) => c.oodFlagged).length);
    expect(profile.data.fit.images + profile.data.evaluate.images).toBe(1600 - profile.data.oodFlagged);
    expect(profile.model.sha256).toBe(SHA);
  });

  it('repairs a miscalibrated finding on the evaluation half (ECE falls, target sensitivity met within its CI)', () => {
    const f = profile.findings.cardiomegaly!;
    expect(f.before.ece!).toBeGreaterThan(0.05);
    expect(f.after.ece!).toBeLessThan(f.before.ece! / 2);
    expect(f.thresholdSource).toBe('site');
    expect(f.after.sensitivityCi95[0]!).toBeLessThanOrEqual(0.9);
    expect(f.after.sensitivityCi95[1]!).toBeGreaterThanOrEqual(0.9);
    expect(f.enabled).toBe(true);
    // Two Gaussians (means ±3.75, sd 2.5) in logit units: the true log-odds slope is 7.5 / 2.5² = 1.2.
    expect(f.calibration.a).toBeGreaterThan(1.0);
    expect(f.calibration.a).toBeLessThan(1.4);
  });

  it('switches off a finding whose AUC lower bound is under the safety floor', () => {
    const f = profile.findings.nodule!;
    expect(f.enabled).toBe(false);
    expect(profile.disabled).toEqual(['nodule']);
    expect(f.notes.join(' ')).toMatch(/below the safety floor 0\.75/);
    const lowered = recalibrateSite(card, SHA, cases, { ...options, safetyFloor: 0 });
    expect(lowered.disabled).toEqual([]);
  });

  it('warns below 100 positives and refuses a site threshold whose sensitivity CI is too wide, saying how many images are needed', () => {
    const small = recalibrateSite(card, SHA, site(120, 2, { scale: 2, offset: 0, separation: [3, 3, 3, 3], prevalence: [0.2, 0.2, 0.2, 0.2] }), options);
    const f = small.findings.cardiomegaly!;
    expect(f.notes[0]).toMatch(/^Only \d+ positive and \d+ negative images of cardiomegaly/);
    expect(f.thresholdSource).toBe('card');
    expect(f.casesNeeded).toBeGreaterThan(120);
    expect(f.notes.join(' ')).toMatch(/Site threshold refused: .* needs \d+ positives per half — about \d+ labelled images/);
    // The card's decision boundary on the site scale: the same images are positive as with the card.
    const z = Array.from({ length: 50 }, (_, i) => -6 + i * 0.25);
    const T = card.calibration.temperatures.cardiomegaly!;
    for (const logit of z) {
      const byCard = sigmoid(logit / T) >= card.thresholds.cardiomegaly!.threshold;
      const bySite = sigmoid(f.calibration.a * logit + f.calibration.b) >= f.threshold;
      if (Math.abs(sigmoid(logit / T) - card.thresholds.cardiomegaly!.threshold) > 1e-9) expect(bySite).toBe(byCard);
    }
  });

  it('is deterministic whatever the order of the cases, and survives a JSON round trip', () => {
    const again = recalibrateSite(card, SHA, [...cases].reverse(), options);
    expect(again).toEqual(profile);
    expect(parseSiteProfile(JSON.stringify(profile))).toEqual(profile);
  });

  it('applies to a prediction: site scores, thresholds, no positive for a switched-off finding, and a stamp', () => {
    const logits = Object.fromEntries(card.labels.map((l) => [l, 3]));
    const prediction = { labels: [...card.labels], logits, scores: {} as Record<string, number>, thresholds: {} as Record<string, number>, positives: [] as string[], modelSha256: SHA };
    const applied = applySiteProfile(profile, prediction);
    const f = profile.findings.cardiomegaly!;
    expect(applied.scores.cardiomegaly).toBe(sigmoid(f.calibration.a * 3 + f.calibration.b));
    expect(applied.positives).toContain('cardiomegaly');
    expect(applied.positives).not.toContain('nodule');
    expect(applied.site).toEqual({ site: 'County General', n: 1600, createdAt: '2026-11-29', disabled: ['nodule'], cardBoundary: profile.labels.filter((l) => profile.findings[l]!.thresholdSource === 'card') });
  });

  it('refuses a profile for another model with SITE_PROFILE_MISMATCH and a malformed one with SITE_PROFILE_INVALID', async () => {
    const later = (f: () => unknown): Promise<unknown> => Promise.resolve().then(f);
    expect(await codeOf(later(() => checkSiteProfile(profile, 'b'.repeat(64), card.labels)))).toBe('SITE_PROFILE_MISMATCH');
    expect(await codeOf(later(() => checkSiteProfile(profile, SHA, card.labels)))).toBe('no error');
    expect(await codeOf(later(() => parseSiteProfile({ ...profile, model: { ...profile.model, sha256: 'xyz' } })))).toBe('SITE_PROFILE_INVALID');
  });
});
