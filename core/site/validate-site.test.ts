import { describe, expect, it } from 'vitest';
import { sigmoid } from '../calibration/temperature.ts';
import type { ModelCard } from '../model/model-card.ts';
import type { SiteCase } from './recalibrate-site.ts';
import type { SiteProfile } from './site-profile.ts';
import { validateSite } from './validate-site.ts';

const card = {
  labels: ['nodule'],
  calibration: { method: 'temperature', fittedOn: 'v', temperatures: { nodule: 2 } },
  thresholds: { nodule: { threshold: 0.5, targetSensitivity: 0.9, sensitivity: 0.9, specificity: 0.9 } },
} as unknown as ModelCard;

const cases: SiteCase[] = [
  { key: 'd', patientId: 'P4', logits: [3], truth: [1], oodFlagged: true },
  { key: 'a', patientId: 'P1', logits: [2], truth: [1], oodFlagged: false },
  { key: 'b', patientId: 'P2', logits: [-1], truth: [0], oodFlagged: false },
  { key: 'c', patientId: 'P3', logits: [1], truth: [0], oodFlagged: false },
  { key: 'e', patientId: 'P5', logits: [-2], truth: [1], oodFlagged: true },
];

describe('validateSite', () => {
  it('measures the in-distribution images with the card and reports the flagged ones apart', () => {
    const v = validateSite(card, cases, { bootstrapIterations: 20 });
    expect(v).toMatchObject({ images: 5, patients: 5, oodFlagged: 2, calibratedFor: 'card' });
    expect(v.perLabel.nodule).toMatchObject({ n: 3, positives: 1, negatives: 2, threshold: 0.5, sensitivity: 1, specificity: 0.5 });
    // sigmoid(2/2), sigmoid(-1/2), sigmoid(1/2) against 1, 0, 0.
    expect(v.perLabel.nodule!.brier).toBeCloseTo(((sigmoid(1) - 1) ** 2 + sigmoid(-0.5) ** 2 + sigmoid(0.5) ** 2) / 3, 12);
    expect(v.flaggedPerLabel?.nodule).toMatchObject({ n: 2, positives: 2, sensitivity: 0.5 });
  });

  it('uses a site profile’s calibration and thresholds when given one', () => {
    const profile = { site: 'County', findings: { nodule: { calibration: { a: 1, b: -1 }, threshold: 0.6 } } } as unknown as SiteProfile;
    const v = validateSite(card, cases, { bootstrapIterations: 20, profile });
    expect(v.calibratedFor).toBe('County');
    expect(v.perLabel.nodule).toMatchObject({ threshold: 0.6, sensitivity: 1, specificity: 1 });
  });
});
