/**
 * A minimal, valid model card for tests and documentation: two labels, 16×16 input, a
 * one-layer OOD detector on a 2-value summary with identity covariance. Returns a fresh object on every call.
 */
import { DEFAULT_PREPROCESS_PARAMS } from '../../core/preprocess/params.ts';
import { DEFAULT_LIMITATIONS, MODEL_CARD_SCHEMA_VERSION, type ModelCard } from '../../core/model/model-card.ts';

const ZERO_HASH = '0'.repeat(64);

export function exampleCard(): ModelCard {
  const labelMetrics = { auc: 0.9, aucCi95: [0.8, 0.95] as [number, number], sensitivity: 0.9, specificity: 0.8, positives: 10, negatives: 30 };
  const threshold = { threshold: 0.4, targetSensitivity: 0.9, sensitivity: 0.91, specificity: 0.8 };
  return {
    schemaVersion: MODEL_CARD_SCHEMA_VERSION,
    name: 'example',
    version: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    labels: ['nodule', 'effusion'],
    input: { height: 16, width: 16, channels: 1, dtype: 'float32' },
    preprocessing: { ...DEFAULT_PREPROCESS_PARAMS, height: 16, width: 16 },
    architecture: {
      name: 'example',
      format: 'layers-model',
      modelFile: 'model.json',
      featureLayer: 'features',
      logitsLayer: 'logits',
      parameters: 10,
      weightsDtype: 'float32',
      options: {},
    },
    calibration: { method: 'temperature', fittedOn: 'val', temperatures: { nodule: 1, effusion: 2 } },
    thresholds: { nodule: { ...threshold }, effusion: { ...threshold, threshold: 0.6 } },
    ood: {
      method: 'multi-layer-mahalanobis',
      // One tapped layer: a 2-value summary (one channel's mean and std), identity covariance.
      layers: [
        { layer: 'features', summary: 'channel-moments', level: 'anatomy', size: 2, mean: [0, 0], choleskyPacked: [1, 0, 1], shrinkage: 0.1, reference: { mean: 0, std: 1 } },
      ],
      threshold: 3,
      acceptance: 0.98,
      fittedOn: 'training split (100 images)',
      thresholdedOn: 'validation split (20 images)',
      expected: { modalities: ['CR', 'DX'], bodyParts: ['CHEST'], photometric: ['MONOCHROME1', 'MONOCHROME2'] },
    },
    metrics: {
      test: {
        split: 'test',
        n: 40,
        macroAuc: 0.9,
        ece: 0.02,
        eceBeforeCalibration: 0.05,
        oodRate: 0,
        perLabel: { nodule: { ...labelMetrics }, effusion: { ...labelMetrics } },
      },
    },
    trainingData: {
      source: 'example',
      synthetic: true,
      counts: { train: 100, val: 20, test: 40 },
      prevalence: { nodule: 0.25, effusion: 0.25 },
    },
    training: {
      command: 'none',
      seed: 1,
      epochs: 1,
      bestEpoch: 1,
      batchSize: 8,
      backend: 'cpu',
      durationSeconds: 1,
      positiveWeights: { nodule: 3, effusion: 3 },
      augmentation: 'none',
      history: [{ epoch: 1, loss: 0.6, valLoss: 0.6, valAuc: 0.6, learningRate: 0.001, imagesPerSecond: 10, seconds: 1 }],
    },
    quantization: { dtype: 'float32' },
    software: { radlocal: '0.1.0' },
    intendedUse: 'Tests only.',
    limitations: [DEFAULT_LIMITATIONS],
    files: [{ path: 'model.json', sha256: ZERO_HASH, bytes: 0 }],
  };
}
