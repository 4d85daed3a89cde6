import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../../core/model/predict.ts';
import { buildReport } from './build-report.ts';

const prediction: Prediction = {
  labels: ['nodule', 'effusion'],
  scores: { nodule: 0.8123456789, effusion: 0.1 },
  logits: { nodule: 1.5, effusion: -2 },
  positives: ['nodule'],
  thresholds: { nodule: 0.4, effusion: 0.6 },
  ood: { distance: 2.5, threshold: 3, flagged: false, reasons: [] },
  cam: { nodule: { data: new Float32Array([1, 2, 3, 4]), width: 2, height: 2 } },
  timings: { preprocessMs: 3, inferenceMs: 12, postprocessMs: 2, totalMs: 17 },
  modelSha256: 'a'.repeat(64),
};

describe('buildReport', () => {
  it('keeps scores at full precision, thresholds, positives, OOD, hashes and timings — and no pixels or tags', () => {
    const report = buildReport({
      appVersion: '0.1.0',
      generatedAt: new Date('2026-01-02T03:04:05Z'),
      model: { name: 'chest-phantom', version: '1', sha256: 'a'.repeat(64), backend: 'wasm', synthetic: true, limitations: ['x'] },
      images: [{ fileSha256: 'f'.repeat(64), frame: 0, modality: 'CR', decodeMs: 4, prediction }],
    });
    expect(report.images[0]).toEqual({
      fileSha256: 'f'.repeat(64),
      frame: 0,
      modality: 'CR',
      scores: { nodule: 0.8123456789, effusion: 0.1 },
      thresholds: { nodule: 0.4, effusion: 0.6 },
      positives: ['nodule'],
      ood: { distance: 2.5, threshold: 3, flagged: false, reasons: [] },
      timingsMs: { decode: 4, preprocess: 3, inference: 12, heatmap: 2 },
    });
    const text = JSON.stringify(report);
    expect(text).not.toContain('cam');
    expect(text).not.toContain('logits');
    expect(report.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(report.app.version).toBe('0.1.0');
  });
});
