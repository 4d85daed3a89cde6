/**
 * A deterministic, model-free report input for tests and for looking at the report layout:
 * seeded scores for three findings, a plausible training history and two example images
 * with synthetic activation maps.
 */
import { summarizePredictions, type PredictionRecord } from '../../training/src/eval/summarize.ts';
import { seededRandom } from '../../core/random/seeded-random.ts';
import { sigmoid } from '../../core/calibration/temperature.ts';
import { inputToGrey, overlayCam, pngDataUrl } from '../../training/src/report/image-encoding.ts';
import type { ReportExample, ReportInput } from '../../training/src/report/report-data.ts';

const LABELS = ['nodule', 'effusion', 'cardiomegaly'];
const TEMPERATURES: Record<string, number> = { nodule: 1.6, effusion: 1.3, cardiomegaly: 2.1 };
const THRESHOLDS: Record<string, number> = { nodule: 0.32, effusion: 0.41, cardiomegaly: 0.27 };

function sampleImage(size: number, cx: number, cy: number): { image: string; cam: Float32Array; base: ReturnType<typeof inputToGrey> } {
  const input = new Float32Array(size * size);
  const cam = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      // A chest-like ellipse with two darker "lungs" and a bright blob (the finding).
      const body = dx * dx + dy * dy * 0.8 < 0.85 ? 0.55 : 0.05;
      const lung = (dx + 0.35) ** 2 / 0.07 + dy * dy / 0.3 < 1 || (dx - 0.35) ** 2 / 0.07 + dy * dy / 0.3 < 1 ? -0.3 : 0;
      const blob = Math.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * (size / 14) ** 2)));
      input[y * size + x] = body + lung + 0.35 * blob;
      cam[y * size + x] = Math.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * (size / 8) ** 2)));
    }
  }
  const base = inputToGrey(input, size, size, { mean: 0, std: 1 });
  return { image: pngDataUrl(base), cam, base };
}

function sampleExample(name: string, size: number, cx: number, cy: number, scores: Record<string, number>, truth: Record<string, number>): ReportExample {
  const { image, cam, base } = sampleImage(size, cx, cy);
  const overlays: Record<string, string> = {};
  LABELS.forEach((label, i) => {
    const scaled = cam.map((v) => v * (i === 0 ? 1 : 0.4));
    overlays[label] = pngDataUrl(overlayCam(base, scaled));
  });
  return { name, truth, scores, positives: LABELS.filter((l) => (scores[l] ?? 0) >= (THRESHOLDS[l] ?? 1)), oodFlagged: false, image, overlays };
}

export function sampleReportInput(n = 300, seed = 7): ReportInput {
  const random = seededRandom(seed);
  const records: PredictionRecord[] = [];
  for (let i = 0; i < n; i++) {
    // A calibrated logit u per finding, the label drawn from sigmoid(u), and the raw logit
    // over-confident by the finding's temperature (z = T · u), so scaling by T recovers sigmoid(u).
    const u = LABELS.map((_, j) => -1.5 + 3.2 * (random() + random() + random() - 1.5) * (1.6 - 0.25 * j));
    const truth = u.map((v) => (random() < sigmoid(v) ? 1 : 0));
    const logits = u.map((v, j) => v * (TEMPERATURES[LABELS[j] as string] as number));
    const scores = u.map((v) => sigmoid(v));
    records.push({ logits, scores, truth, oodFlagged: random() < 0.01 });
  }
  const { summary, curves } = summarizePredictions(records, { labels: LABELS, thresholds: THRESHOLDS, bootstrapIterations: 200, seed });
  const history = Array.from({ length: 12 }, (_, k) => ({
    epoch: k + 1,
    loss: 0.25 + 0.5 * Math.exp(-k / 3),
    valLoss: 0.3 + 0.45 * Math.exp(-k / 3.5) + 0.004 * k,
    valAuc: 0.97 - 0.35 * Math.exp(-k / 2.5),
  }));
  return {
    title: 'RadLocal evaluation — sample-model',
    generatedAt: '2026-01-01 12:00',
    dataDescription: 'sample scores (split test)',
    model: {
      name: 'sample-model',
      version: '0.1.0',
      sha256: 'ab'.repeat(32),
      createdAt: '2026-01-01T00:00:00.000Z',
      labels: LABELS,
      temperatures: TEMPERATURES,
      calibrationFittedOn: 'the validation split (60 images)',
      intendedUse: 'Research and demonstration of the RadLocal pipeline only.',
      limitations: ['Synthetic training data — not for clinical use.'],
      syntheticTrainingData: true,
      bestEpoch: 10,
    },
    summary,
    curves,
    history,
    examples: [
      sampleExample('case-0001.dcm', 128, 44, 58, { nodule: 0.81, effusion: 0.12, cardiomegaly: 0.05 }, { nodule: 1, effusion: 0, cardiomegaly: 0 }),
      sampleExample('case-0002.dcm', 128, 84, 80, { nodule: 0.22, effusion: 0.64, cardiomegaly: 0.31 }, { nodule: 0, effusion: 1, cardiomegaly: 0 }),
    ],
  };
}
