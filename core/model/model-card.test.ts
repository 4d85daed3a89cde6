import { describe, expect, it } from 'vitest';
import { expectTypedError } from '../../test/typed-error-code.ts';
import { exampleCard } from '../../test/helpers/example-card.ts';
import { migrateModelCard, MODEL_CARD_SCHEMA_VERSION, parseModelCard, type ModelCard } from './model-card.ts';
import { verifyModelFiles } from './model-integrity.ts';
import { sha256Hex } from './sha256.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutations reach into arbitrary fields
type Mutation = [name: string, field: string, mutate: (card: Record<string, any>) => void];

const MUTATIONS: Mutation[] = [
  ['missing name', 'name', (c) => delete c.name],
  ['schema version newer than this RadLocal', 'schemaVersion', (c) => (c.schemaVersion = MODEL_CARD_SCHEMA_VERSION + 1)],
  ['schema version 0', 'schemaVersion', (c) => (c.schemaVersion = 0)],
  ['no schema version', 'schemaVersion', (c) => delete c.schemaVersion],
  ['empty labels', 'labels', (c) => (c.labels = [])],
  ['duplicate labels', 'labels', (c) => (c.labels = ['nodule', 'nodule'])],
  ['input channels 3', 'input.channels', (c) => (c.input.channels = 3)],
  ['input dtype int', 'input.dtype', (c) => (c.input.dtype = 'int32')],
  ['preprocessing std 0', 'preprocessing.std', (c) => (c.preprocessing.std = 0)],
  ['preprocessing size differs from input', 'preprocessing', (c) => (c.preprocessing.height = 32)],
  ['missing feature layer', 'architecture.featureLayer', (c) => delete c.architecture.featureLayer],
  ['negative temperature', 'calibration.temperatures.nodule', (c) => (c.calibration.temperatures.nodule = -1)],
  ['temperature for one label only', 'calibration.temperatures', (c) => delete c.calibration.temperatures.effusion],
  ['threshold above 1', 'thresholds.nodule.threshold', (c) => (c.thresholds.nodule.threshold = 1.5)],
  ['threshold for unknown label', 'thresholds', (c) => (c.thresholds.pneumothorax = c.thresholds.nodule)],
  ['OOD layer mean of wrong length', 'ood.layers.0.mean', (c) => (c.ood.layers[0].mean = [0, 0, 0])],
  ['OOD packed Cholesky of wrong size', 'ood.layers.0.choleskyPacked', (c) => (c.ood.layers[0].choleskyPacked = [1, 0, 0, 1])],
  ['OOD packed Cholesky with a non-number', 'ood.layers.0.choleskyPacked', (c) => (c.ood.layers[0].choleskyPacked[1] = 'x')],
  ['OOD mean with a null (NaN written as JSON)', 'ood.layers.0.mean', (c) => (c.ood.layers[0].mean[0] = null)],
  ['OOD without layers', 'ood.layers', (c) => (c.ood.layers = [])],
  ['OOD reference spread 0', 'ood.layers.0.reference.std', (c) => (c.ood.layers[0].reference.std = 0)],
  ['OOD acceptance not recorded', 'ood.acceptance', (c) => delete c.ood.acceptance],
  ['OOD statistics of card version 1', 'ood.method', (c) => (c.ood = { embeddingSize: 2, mean: [0, 0], covarianceCholesky: [1, 0, 0, 1], shrinkage: 0, distanceThreshold: 3, thresholdPercentile: 99, expected: c.ood.expected })],
  ['OOD expected modalities missing', 'ood.expected.modalities', (c) => delete c.ood.expected.modalities],
  ['test AUC not a number', 'metrics.test.macroAuc', (c) => (c.metrics.test.macroAuc = 'high')],
  ['CI reversed', 'metrics.test.perLabel.nodule.aucCi95', (c) => (c.metrics.test.perLabel.nodule.aucCi95 = [0.9, 0.8])],
  ['synthetic flag missing', 'trainingData.synthetic', (c) => delete c.trainingData.synthetic],
  ['prevalence missing', 'trainingData.prevalence', (c) => delete c.trainingData.prevalence],
  ['limitations empty', 'limitations', (c) => (c.limitations = [])],
  ['intended use missing', 'intendedUse', (c) => delete c.intendedUse],
  ['no files', 'files', (c) => (c.files = [])],
  ['bad hash', 'files.0.sha256', (c) => (c.files[0].sha256 = 'abc')],
  ['path escapes the folder', 'files.0.path', (c) => (c.files[0].path = '../model.json')],
  ['model file not listed', 'files', (c) => (c.files[0].path = 'other.json')],
  ['unknown top-level field', '(root)', (c) => (c.extra = 1)],
  ['head of an unknown kind', 'architecture.head.kind', (c) => (c.architecture.head = { kind: 'attention', mapLayer: 'm', pooling: 'max-mean' })],
  ['head on a graph model', 'architecture.head', (c) => {
    c.architecture.head = { kind: 'logit-map', mapLayer: 'm', pooling: 'max-mean' };
    c.architecture.format = 'graph-model';
    c.architecture.graph = { inputNode: 'x', batchSize: null, logitsNode: 'l', logitsFrom: 'logits', outputCount: 2, outputColumns: [0, 1], featureNode: null, featureLayout: 'nhwc', featureShape: null, cam: { kind: 'none', reason: 'r' } };
  }],
  ['threshold lower bound without its method', 'thresholds.nodule.lowerBound.method', (c) => (c.thresholds.nodule.lowerBound = { confidence: 0.95, sensitivity: 0.9, positives: 60, met: true })],
  ['trade-off without variants', 'tradeOffs.variants', (c) => (c.tradeOffs = { decision: 'd', measuredOn: 'm', variants: [] })],
];

describe('parseModelCard', () => {
  it('accepts the example card and returns it unchanged', () => {
    const card = exampleCard();
    expect(parseModelCard(JSON.parse(JSON.stringify(card)))).toEqual(card);
    expect(parseModelCard(JSON.stringify(card)).labels).toEqual(['nodule', 'effusion']);
    expect(parseModelCard(new TextEncoder().encode(JSON.stringify(card))).name).toBe('example');
  });

  for (const [name, field, mutate] of MUTATIONS) {
    it(`rejects a card with ${name}, naming "${field}"`, async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Mutation
      const card = JSON.parse(JSON.stringify(exampleCard())) as Record<string, any>;
      mutate(card);
      await expectTypedError(() => parseModelCard(card), 'MODEL_CARD_INVALID', `"${field}"`);
    });
  }

  it('migrates a version-1 card to the current version, keeping every v1 field but the OOD statistics', () => {
    const v1 = { ...exampleCard(), schemaVersion: 1 };
    const migrated = migrateModelCard(JSON.parse(JSON.stringify(v1))) as Record<string, unknown>;
    expect(migrated.schemaVersion).toBe(MODEL_CARD_SCHEMA_VERSION);
    expect({ ...migrated, schemaVersion: 1, ood: v1.ood }).toEqual(v1);
    expect(migrated.ood).toEqual({ expected: v1.ood.expected });
  });

  it('migrates a version-2 card unchanged but its version (v3 fields are optional; absent means what v2 meant)', () => {
    const v2 = { ...exampleCard(), schemaVersion: 2 };
    const migrated = parseModelCard(JSON.parse(JSON.stringify(v2)));
    expect(migrated.schemaVersion).toBe(3);
    expect({ ...migrated, schemaVersion: 2 }).toEqual(v2);
    expect(migrated.architecture.head).toBeUndefined();
  });

  it('accepts the v3 fields: a logit-map head, lower-bounded thresholds and the measured trade-offs', () => {
    const card = exampleCard();
    card.architecture.head = { kind: 'logit-map', mapLayer: 'logit_map', pooling: 'max-mean' };
    card.thresholds.nodule = { ...card.thresholds.nodule!, lowerBound: { method: 'clopper-pearson', confidence: 0.95, sensitivity: 0.906, positives: 65, met: true } };
    card.tradeOffs = {
      decision: 'map head',
      measuredOn: 'phantoms of seed 9001',
      variants: [{ variant: 'gap', inputSize: 256, head: 'gap', trainImages: 1920, epochs: 6, trainSeconds: null, evaluatedOn: 'seed 9001 (600)', macroAuc: 0.95, perLabelAuc: { nodule: 0.8 } }],
    };
    expect(parseModelCard(JSON.parse(JSON.stringify(card)))).toEqual(card);
  });

  it('refuses a version-1 card with its embedding-only OOD statistics, naming "ood.method" and saying how to refit', async () => {
    const ood = { embeddingSize: 2, mean: [0, 0], covarianceCholesky: [1, 0, 0, 1], shrinkage: 0.1, distanceThreshold: 3, thresholdPercentile: 99, expected: exampleCard().ood.expected };
    const v1 = { ...exampleCard(), schemaVersion: 1, ood };
    await expectTypedError(() => parseModelCard(JSON.parse(JSON.stringify(v1))), 'MODEL_CARD_INVALID', /"ood\.method".*radlocal refit-card/);
  });

  it('holds a figure a split cannot measure as null, never 0', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Mutation
    const card = JSON.parse(JSON.stringify(exampleCard())) as Record<string, any>;
    card.metrics.test.perLabel.nodule = { auc: null, aucCi95: null, sensitivity: null, specificity: 0.8, positives: 0, negatives: 40 };
    expect(parseModelCard(card).metrics.test.perLabel.nodule?.auc).toBeNull();
  });

  it('rejects text that is not JSON', async () => {
    await expectTypedError(() => parseModelCard('{"name": '), 'MODEL_CARD_INVALID', /not valid JSON/);
  });
});

describe('verifyModelFiles', () => {
  async function cardFor(files: Map<string, Uint8Array>): Promise<ModelCard> {
    const card = exampleCard();
    card.files = await Promise.all([...files].map(async ([path, bytes]) => ({ path, sha256: await sha256Hex(bytes), bytes: bytes.byteLength })));
    return parseModelCard(card);
  }

  it('hashes with SHA-256 (known vector)', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts intact files and refuses tampered, truncated or missing ones, naming the file', async () => {
    const files = new Map([
      ['model.json', new TextEncoder().encode('{"a":1}')],
      ['group1-shard1of1.bin', new Uint8Array([1, 2, 3, 4])],
    ]);
    const card = await cardFor(files);
    await expect(verifyModelFiles(card, files)).resolves.toBeUndefined();

    const tampered = new Map(files);
    tampered.set('group1-shard1of1.bin', new Uint8Array([1, 2, 3, 5]));
    await expectTypedError(verifyModelFiles(card, tampered), 'MODEL_INTEGRITY_MISMATCH', '"group1-shard1of1.bin"');

    const truncated = new Map(files);
    truncated.set('model.json', new TextEncoder().encode('{"a":'));
    await expectTypedError(verifyModelFiles(card, truncated), 'MODEL_INTEGRITY_MISMATCH', '"model.json" has 5 bytes');

    const missing = new Map(files);
    missing.delete('group1-shard1of1.bin');
    await expectTypedError(verifyModelFiles(card, missing), 'MODEL_INTEGRITY_MISMATCH', 'missing');
  });
});
