/**
 * The model card: the single source of truth for a RadLocal model. Labels, input spec,
 * preprocessing, calibration, thresholds, OOD statistics, metrics, the training-data summary
 * and the SHA-256 of every other file of the model folder. Node (CLI) and browser (viewer
 * worker) validate it with this one schema.
 *
 * Versions (`schemaVersion`): the schema below is the current version. A card of an older
 * version is migrated in memory, one version at a time (MIGRATIONS), then validated against
 * the current schema; a field of the current version that an older card cannot supply is
 * left out by its migration, so the card is refused with MODEL_CARD_INVALID naming that
 * field. A version newer than this RadLocal knows is refused naming "schemaVersion". The
 * model's SHA-256 is always that of the card's bytes as stored, never of a migrated copy.
 *
 *   1  cards written before the card stage (training/src/card).
 *   2  per-split metrics record their bootstrap resamples (`bootstrapResamples`); a
 *      per-label figure a split cannot measure (no positive or no negative image) is null,
 *      never 0 (one rule for train and import). v1 → v2: every v1 field is kept as it is,
 *      except the OOD statistics: v2's `ood` is the multi-layer Mahalanobis detector
 *      (core/model/ood-schema.ts: tapped layers, packed Cholesky factors, threshold on held-out
 *      images at a recorded acceptance) and `metrics.ood` the OOD benchmark. A v1 card keeps
 *      only `ood.expected`, so it is refused at "ood.method" until its card is refitted
 *      (`radlocal refit-card`, weights untouched).
 *      `labelsOff`: findings switched off, with why (optional; v1 cards have none).
 *      `trainingData.fingerprint`: the training folder's fingerprint, so `radlocal evaluate`
 *      knows the model's own training data (absent in migrated v1 cards: evaluate then
 *      compares image counts).
 *      `preprocessing.adapter`: the input adapter (core/preprocess/input-adapter.ts: layout,
 *      channels, intensity mapping); a card without one — every v1 card — reads as the default
 *      adapter (grey, NHWC, scalar mean/std), its inputs bit-identical to before (migration).
 *      `input.channels` 1 or 3 (the adapter's); `architecture.format` 'graph-model' with
 *      `architecture.graph` (core/model/graph-spec.ts: nodes, output columns, heatmap kind).
 *   3  the head and the operating points say more (all additive, absent = the v2 meaning):
 *      `architecture.head`: a per-label logit map (1×1 convolution over the feature maps,
 *      pooled by the mean of its maximum and its average) instead of the v2 dense layer over
 *      globally averaged features; the map is the heatmap. `thresholds.<label>.lowerBound`:
 *      the threshold was chosen so that a one-sided lower confidence bound of the validation
 *      sensitivity meets the target (training/src/card/bounded-threshold.ts).
 *      `trainingData.testSplitFingerprint`: which images were held out. `tradeOffs`:
 *      the measured alternatives behind the model's recipe. v2 → v3: nothing to fill (every
 *      new field is optional and its absence means what v2 meant). A new version rather than
 *      optional v2 fields because `architecture.head` changes what `logitsLayer` is: a
 *      RadLocal that knows only v2 must refuse such a card ("written by a newer RadLocal")
 *      rather than read its logits layer as a dense head and draw a wrong heatmap.
 *      Add this session's new card fields to version 3.
 */
import { z } from 'zod';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { parseDocument } from '../schema/parse-document.ts';
import { PreprocessParamsSchema } from '../preprocess/params.ts';
import { GraphModelSpecSchema } from './graph-spec.ts';
import { OodBenchmarkSchema, OodStatsSchema } from './ood-schema.ts';

export const MODEL_CARD_FILE = 'model-card.json';
export const MODEL_CARD_SCHEMA_VERSION = 3;
export { DEFAULT_LIMITATIONS } from './limitations.ts';

const finite = z.number().finite();
const probability = z.number().min(0).max(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
/** A relative path inside the model folder: no absolute paths, no `..`, no backslashes. */
const relativePath = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/, 'expected a relative path inside the model folder')
  .refine((p) => !p.split('/').includes('..'), 'expected no ".." segment');
const labelName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lowercase label name (a-z, 0-9, _ or -)');
const ci95 = z.tuple([probability, probability]).refine(([lo, hi]) => lo <= hi, 'expected [low, high] with low ≤ high');

export const ModelFileEntrySchema = z.strictObject({
  path: relativePath,
  sha256,
  bytes: z.number().int().nonnegative(),
});

export const ThresholdSchema = z.strictObject({
  /** Calibrated probability at or above which the label is reported positive. */
  threshold: probability,
  /** Sensitivity the threshold was chosen for on the validation split. */
  targetSensitivity: probability,
  /** Sensitivity and specificity measured at that threshold on the validation split. */
  sensitivity: probability,
  specificity: probability,
  /**
   * v3: how the threshold was chosen to hold beyond the validation split — the highest
   * threshold whose validation sensitivity has a one-sided lower confidence bound (Clopper–
   * Pearson at `confidence`) of at least the target; `sensitivity` here is that bound over
   * `positives` validation positives. `met` false: even every positive above the threshold
   * does not bound the sensitivity that high (too few positives), so the threshold sits just
   * below the lowest positive. Absent in older cards (threshold at the target on the split).
   */
  lowerBound: z
    .strictObject({
      method: z.literal('clopper-pearson'),
      confidence: probability,
      sensitivity: probability,
      positives: z.number().int().nonnegative(),
      met: z.boolean(),
    })
    .optional(),
});

/** v3: one measured alternative of the model's recipe (`tradeOffs`), scored on images from a seed never trained on. */
export const TradeOffSchema = z.strictObject({
  variant: z.string().min(1),
  inputSize: z.number().int().positive(),
  head: z.string().min(1),
  trainImages: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  /** Wall-clock training seconds on the machine and load `measuredOn` says; null when not timed alone. */
  trainSeconds: finite.nonnegative().nullable(),
  evaluatedOn: z.string().min(1),
  macroAuc: probability,
  perLabelAuc: z.record(z.string(), probability),
  ece: probability.optional(),
});

/** A per-label figure: null when the split cannot measure it (no positive or no negative image of the label). */
export const LabelMetricsSchema = z.strictObject({
  auc: probability.nullable(),
  aucCi95: ci95.nullable(),
  /** At the card's threshold. */
  sensitivity: probability.nullable(),
  specificity: probability.nullable(),
  positives: z.number().int().nonnegative(),
  negatives: z.number().int().nonnegative(),
});

export const EvaluationSchema = z.strictObject({
  split: z.string().min(1),
  n: z.number().int().nonnegative(),
  /** Mean AUC over the labels the split can measure; null when it can measure none. */
  macroAuc: probability.nullable(),
  macroAucCi95: ci95.optional(),
  /** Bootstrap resamples behind the confidence intervals (cards of version ≥ 2). */
  bootstrapResamples: z.number().int().positive().optional(),
  /** Expected calibration error after temperature scaling (pooled over labels). */
  ece: probability,
  eceBeforeCalibration: probability,
  oodRate: probability,
  perLabel: z.record(z.string(), LabelMetricsSchema),
});

export const HistoryEntrySchema = z.strictObject({
  epoch: z.number().int().positive(),
  loss: finite,
  valLoss: finite,
  valAuc: probability,
  learningRate: finite,
  imagesPerSecond: finite,
  seconds: finite,
});

export const ModelCardSchema = z
  .strictObject({
    schemaVersion: z.literal(MODEL_CARD_SCHEMA_VERSION),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lowercase model name'),
    version: z.string().min(1),
    createdAt: z.string().min(1),
    labels: z.array(labelName).min(1).refine((l) => new Set(l).size === l.length, 'expected unique labels'),
    /** The model's input tensor: [N, height, width, channels] float32 (or [N, channels, height, width]: preprocessing.adapter), from core/preprocess. */
    input: z.strictObject({
      height: z.number().int().positive(),
      width: z.number().int().positive(),
      channels: z.union([z.literal(1), z.literal(3)]),
      dtype: z.literal('float32'),
    }),
    preprocessing: PreprocessParamsSchema,
    /**
     * How the inference pipeline reads the layers model: `featureLayer` is the last
     * convolutional activation [1, h, w, C]; `logitsLayer` the dense head (kernel [C, labels],
     * bias [labels]) fed by the global average of the feature maps — what makes CAM exact —
     * or, with `head` (v3), the pooled logit map.
     * A graph model (`format` 'graph-model') names nodes instead, in `graph`; its
     * `featureLayer` / `logitsLayer` repeat the feature and logits node names.
     */
    architecture: z.strictObject({
      name: z.string().min(1),
      format: z.enum(['layers-model', 'graph-model']),
      modelFile: relativePath,
      featureLayer: z.string().min(1),
      logitsLayer: z.string().min(1),
      /**
       * v3, layers models: the head when it is not a dense layer over globally averaged
       * features. 'logit-map': `mapLayer` is a 1×1 convolution (kernel [1, 1, C, labels], bias
       * [labels]) over the feature maps giving one logit per label and position; the logit is
       * the mean of the map's maximum and its average (`logitsLayer`), so the heatmap is the
       * map itself and a small finding is not averaged away.
       */
      head: z.strictObject({ kind: z.literal('logit-map'), mapLayer: z.string().min(1), pooling: z.literal('max-mean') }).optional(),
      parameters: z.number().int().nonnegative(),
      weightsDtype: z.enum(['float32', 'float16']),
      options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      graph: GraphModelSpecSchema.optional(),
    }),
    /** Per label: calibrated probability = sigmoid(logit / temperature). */
    calibration: z.strictObject({
      method: z.literal('temperature'),
      fittedOn: z.string().min(1),
      temperatures: z.record(z.string(), z.number().positive()),
    }),
    thresholds: z.record(z.string(), ThresholdSchema),
    ood: OodStatsSchema,
    metrics: z.strictObject({
      validation: EvaluationSchema.optional(),
      test: EvaluationSchema,
      /** The OOD benchmark of the card's detector (near-OOD, real radiographs, far-OOD), when run. */
      ood: OodBenchmarkSchema.optional(),
    }),
    trainingData: z.strictObject({
      source: z.string().min(1),
      synthetic: z.boolean(),
      seed: z.number().int().optional(),
      counts: z.strictObject({
        train: z.number().int().nonnegative(),
        val: z.number().int().nonnegative(),
        test: z.number().int().nonnegative(),
      }),
      patients: z
        .strictObject({ train: z.number().int().nonnegative(), val: z.number().int().nonnegative(), test: z.number().int().nonnegative() })
        .optional(),
      /** Fraction of positives per label in the training split. */
      prevalence: z.record(z.string(), probability),
      /**
       * SHA-256 fingerprint of the dataset folder trained on (training/src/data/dataset-fingerprint.ts),
       * so `radlocal evaluate` knows its own training data (v2; absent in migrated v1 cards).
       */
      fingerprint: sha256.optional(),
      /**
       * v3: SHA-256 of the test split's image paths (training/src/data/dataset-fingerprint.ts
       * splitFingerprint), so `radlocal evaluate` refuses to score "the test split" of the
       * training folder when today's split of it is not the one trained with.
       */
      testSplitFingerprint: sha256.optional(),
    }),
    training: z.strictObject({
      command: z.string(),
      seed: z.number().int(),
      epochs: z.number().int().nonnegative(),
      bestEpoch: z.number().int().nonnegative(),
      batchSize: z.number().int().positive(),
      backend: z.string().min(1),
      /** Wall-clock seconds of the whole run (data, training, calibration, export). */
      durationSeconds: finite,
      /** CPU seconds of the main process (decode workers excluded): compare with wall time on a shared machine. */
      cpuSeconds: finite.optional(),
      stopReason: z.enum(['epochs', 'early-stopping', 'time-budget']).optional(),
      positiveWeights: z.record(z.string(), z.number().positive()),
      augmentation: z.string(),
      history: z.array(HistoryEntrySchema),
    }),
    quantization: z.strictObject({
      dtype: z.enum(['float32', 'float16']),
      /** Largest and mean absolute change of calibrated scores vs float32 on the test split. */
      maxScoreDrift: z.number().nonnegative().optional(),
      meanScoreDrift: z.number().nonnegative().optional(),
    }),
    software: z.record(z.string(), z.string()),
    intendedUse: z.string().min(1),
    limitations: z.array(z.string().min(1)).min(1),
    /**
     * Findings the training data was asked for that this model does not output, each with the
     * reason with its numbers (it could not be learned, calibrated or evaluated on that data;
     * `radlocal train --allow-labels-off`). v2; absent when every requested finding was trained.
     */
    labelsOff: z.record(labelName, z.string().min(1)).optional(),
    /** v3: why this recipe — the alternatives measured (resolution, head, data, time) and the decision. */
    tradeOffs: z.strictObject({ decision: z.string().min(1), measuredOn: z.string().min(1), variants: z.array(TradeOffSchema).min(1) }).optional(),
    files: z
      .array(ModelFileEntrySchema)
      .min(1)
      .refine((f) => new Set(f.map((e) => e.path)).size === f.length, 'expected each file listed once')
      .refine((f) => !f.some((e) => e.path === MODEL_CARD_FILE), `expected ${MODEL_CARD_FILE} not to list itself`),
  })
  .superRefine((card, ctx) => {
    const labels = new Set(card.labels);
    const keyed: Array<[string, Record<string, unknown>]> = [
      ['calibration.temperatures', card.calibration.temperatures],
      ['thresholds', card.thresholds],
      ['trainingData.prevalence', card.trainingData.prevalence],
      ['metrics.test.perLabel', card.metrics.test.perLabel],
    ];
    for (const [where, record] of keyed) {
      const keys = Object.keys(record);
      const missing = card.labels.filter((l) => !(l in record));
      const extra = keys.filter((k) => !labels.has(k));
      if (missing.length > 0 || extra.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: where.split('.'),
          message: `expected one entry per label (${card.labels.join(', ')}); missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
        });
      }
    }
    if (card.input.height !== card.preprocessing.height || card.input.width !== card.preprocessing.width) {
      ctx.addIssue({
        code: 'custom',
        path: ['preprocessing'],
        message: `expected preprocessing size ${card.input.height}×${card.input.width} to match the input, got ${card.preprocessing.height}×${card.preprocessing.width}`,
      });
    }
    for (const label of Object.keys(card.labelsOff ?? {}).filter((l) => labels.has(l))) {
      ctx.addIssue({ code: 'custom', path: ['labelsOff', label], message: `expected a label switched off not to be among the model's labels, but "${label}" is` });
    }
    const { graph, format } = card.architecture;
    if ((format === 'graph-model') !== (graph !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['architecture', 'graph'], message: `expected a graph section exactly when the format is "graph-model" (format "${format}")` });
    }
    if (graph && graph.outputColumns.length !== card.labels.length) {
      ctx.addIssue({ code: 'custom', path: ['architecture', 'graph', 'outputColumns'], message: `expected one output column per label (${card.labels.length}), got ${graph.outputColumns.length}` });
    }
    if (graph && graph.outputColumns.some((c) => c >= graph.outputCount)) {
      ctx.addIssue({ code: 'custom', path: ['architecture', 'graph', 'outputColumns'], message: `expected output columns below the model's ${graph.outputCount} outputs` });
    }
    if (card.input.channels !== (card.preprocessing.adapter?.channels ?? 1)) {
      ctx.addIssue({ code: 'custom', path: ['input', 'channels'], message: `expected the preprocessing adapter's ${card.preprocessing.adapter?.channels ?? 1} channel(s), got ${card.input.channels}` });
    }
    if (card.architecture.head && format !== 'layers-model') {
      ctx.addIssue({ code: 'custom', path: ['architecture', 'head'], message: `expected a head section only for a layers model (format "${format}")` });
    }
    if (!card.files.some((f) => f.path === card.architecture.modelFile)) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: `expected the model file "${card.architecture.modelFile}" to be listed` });
    }
  });

export type ModelCard = z.infer<typeof ModelCardSchema>;
export type ModelFileEntry = z.infer<typeof ModelFileEntrySchema>;
/** A card before its files are hashed (what the card stage fits and the export writes). */
export type CardDraft = Omit<ModelCard, 'files'>;
export type Evaluation = z.infer<typeof EvaluationSchema>;
export type { OodStats } from './ood-schema.ts';
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type TradeOff = z.infer<typeof TradeOffSchema>;
export type CardThreshold = z.infer<typeof ThresholdSchema>;

type CardJson = Record<string, unknown>;

/** Migration of a card of version v (key) to version v + 1; see the version list at the top. */
const MIGRATIONS: Readonly<Record<number, (card: CardJson) => CardJson>> = {
  // v1's embedding-only OOD statistics cannot be turned into v2's multi-layer ones (they need the
  // training images' features): only the header expectations are kept, so the schema names
  // "ood.method" and says to refit the card.
  1: (card) => ({ ...card, schemaVersion: 2, ood: v1OodHeadersOnly(card.ood) }),
  // v3 only adds optional fields whose absence means what v2 meant.
  2: (card) => ({ ...card, schemaVersion: 3 }),
};

function v1OodHeadersOnly(ood: unknown): unknown {
  if (typeof ood !== 'object' || ood === null || !('expected' in ood)) return ood;
  return { expected: (ood as { expected: unknown }).expected };
}

function cardInvalid(field: string, message: string): RadLocalError {
  return new RadLocalError('MODEL_CARD_INVALID', `The model card is invalid at "${field}": ${message}.`, { details: { field, issues: [{ path: field, message }] } });
}

/**
 * Brings a parsed card of an older schema version up to MODEL_CARD_SCHEMA_VERSION (what it
 * cannot supply stays missing, for the schema to name). Other values are returned untouched.
 * @throws RadLocalError MODEL_CARD_INVALID at "schemaVersion" for a version this RadLocal does not know.
 */
export function migrateModelCard(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  let card = json as CardJson;
  const version = card.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MODEL_CARD_SCHEMA_VERSION) {
    throw cardInvalid(
      'schemaVersion',
      `expected a card schema version from 1 to ${MODEL_CARD_SCHEMA_VERSION} (this RadLocal's), got ${JSON.stringify(version)}` +
        (typeof version === 'number' && version > MODEL_CARD_SCHEMA_VERSION ? ': the card was written by a newer RadLocal' : ''),
    );
  }
  for (let v = version; v < MODEL_CARD_SCHEMA_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) throw cardInvalid('schemaVersion', `no migration from card version ${v}`);
    card = migrate(card);
  }
  return card;
}

/**
 * Validates a model card (already JSON-parsed, or raw JSON text / bytes), migrating an older
 * schema version first (see the version list at the top).
 * @throws RadLocalError MODEL_CARD_INVALID naming the first failing field path.
 */
export function parseModelCard(input: unknown): ModelCard {
  return parseDocument(input, ModelCardSchema, 'MODEL_CARD_INVALID', 'model card', migrateModelCard);
}
