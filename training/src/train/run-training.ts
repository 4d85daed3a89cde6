/**
 * `radlocal train` as a function, in three steps: train a model (dataset → model → training
 * loop, best weights kept) → fit its card (training/src/card: calibration, thresholds and OOD
 * statistics on the validation split, metrics of the exported model on the test split, all
 * through core/model's inference path) → write the model folder (training/src/export).
 */
import { relative, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { RadLocalError, toSerializedError } from '../../../core/errors/radlocal-error.ts';
import { calibratedScores } from '../../../core/model/calibration.ts';
import { buildLayersModel } from '../../../core/model/load-model.ts';
import { DEFAULT_LIMITATIONS, MODEL_CARD_SCHEMA_VERSION, type CardDraft, type HistoryEntry, type ModelCard } from '../../../core/model/model-card.ts';
import { defaultOodLayers } from '../../../core/model/ood-features.ts';
import { forward } from '../../../core/model/predict.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from '../../../core/preprocess/params.ts';
import { hashString } from '../../../core/random/prng.ts';
import { seededRandom } from '../../../core/random/seeded-random.ts';
import { selectBackend, type BackendChoice } from '../backend/select-backend.ts';
import { fitCard, type CardBase, type FittedCard } from '../card/fit-card.ts';
import { MIN_TEMPERATURE } from '../card/floor-temperatures.ts';
import { sampleHeaders } from '../card/header-sample.ts';
import { rowsOf, type OutputSet } from '../card/output-set.ts';
import { datasetFingerprint, splitFingerprint } from '../data/dataset-fingerprint.ts';
import { createBatchLoader, type Batch, type BatchLoader } from '../data/batch-loader.ts';
import type { Dataset } from '../data/dataset-types.ts';
import { describeTrainingData, trainingDataset, type DatasetCheck } from '../data/check-dataset.ts';
import { sampleRefs } from '../data/open-dataset.ts';
import type { LabelRequest } from '../data/label-map.ts';
import type { ViewSelection } from '../data/views.ts';
import { writeModelFolder } from '../export/model-folder.ts';
import { MODEL_JSON, serializeModel, type WeightsDtype } from '../export/serialize-model.ts';
import { ARCHITECTURE_NAME, classifierCardLayers, classifierGraph, createClassifier, resolveClassifierOptions, type ClassifierHead, type ResolvedClassifierOptions } from '../model/create-model.ts';
import { augmentImage, DEFAULT_AUGMENT, describeAugment, type AugmentOptions } from './augment.ts';
import { CHECKPOINT_DIR, hasCheckpoint, loadBestWeights, loadCheckpoint, saveBestWeights, saveCheckpoint } from './checkpoint.ts';
import { positiveWeights } from './loss.ts';
import { initialState, optimizerSnapshot, restoreWeights, trainLoop, type StepInfo, type StepRunner, type TrainBatch, type TrainState } from './train-loop.ts';
import type { WorkerFault } from './parallel/messages.ts';
import { Replica } from './parallel/replica.ts';
import { createReplicaPool, type ReplicaPool } from './parallel/replica-pool.ts';
import { ghostBatchSize, planWorkers, type WorkerPlan, type WorkerRequest } from './parallel/worker-count.ts';

export interface TrainingOptions {
  data: string;
  out: string;
  name: string;
  epochs: number;
  imageSize: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  backend: BackendChoice;
  resume: boolean;
  quantize: WeightsDtype;
  /** Model width (stem channels). */
  width: number;
  /** Channel multipliers of the residual stages (see createClassifier). */
  stageMultipliers: readonly number[];
  /** The head (see createClassifier; default 'gap'). */
  head?: ClassifierHead;
  patience: number;
  warmupEpochs: number;
  augment: AugmentOptions | null;
  /** Decode worker threads (default: cores − 1). */
  workers?: number;
  /** Replica worker threads of data-parallel training (default auto: see parallel/worker-count.ts). */
  trainWorkers?: WorkerRequest;
  /** Images per ghost batch (micro-batch); default: the largest divisor of the batch size ≤ 8. */
  ghostBatch?: number;
  /** For tests of the crash path: a worker fails on purpose. */
  workerFault?: WorkerFault;
  /** Wall-clock budget for the training epochs in minutes (calibration and export come after). */
  timeBudgetMinutes?: number;
  /** For tests: stop each epoch after this many steps. */
  maxStepsPerEpoch?: number;
  /** The command line, recorded in the card. */
  command: string;
  intendedUse?: string;
  /** Passed to openDataset (e.g. to keep every split non-empty in a tiny test set). */
  splitFractions?: { train: number; val: number; test: number };
  /** Model labels, optionally with their dataset columns (`--labels`); default: see openDataset. */
  labels?: readonly (string | LabelRequest)[];
  /** Uncertainty policy for −1 labels (`--uncertain`): ignore (default), ones, zeros, or per label. */
  uncertain?: string;
  /** Views trained on (`--views`, default frontal). */
  views?: ViewSelection;
  /** Leave missing and unreadable files out (counted) instead of refusing the dataset. */
  skipBad?: boolean;
  /** Train the labels that can be trained; switch the others off in the card, with why. */
  allowLabelsOff?: boolean;
  /** Decode every image in the dataset check (unreadable files, duplicates, DICOM views). Default true. */
  scan?: boolean;
  /** Byte budget of the decoded-input cache (default DEFAULT_CACHE_BYTES). */
  cacheBytes?: number;
}

export interface TrainingEvents {
  onBackend?(backend: string, reason: string): void;
  /** How the steps are computed: replica worker threads (1: the main thread) and ghost batches per step. */
  onWorkers?(workers: number, microBatches: number, reason: string): void;
  onInfo?(message: string): void;
  onStep?(info: StepInfo): void;
  onEpoch?(entry: HistoryEntry, backend: string): void;
  shouldStop?(): boolean;
  /** The dataset check, before any training (training/src/data/check-dataset.ts). */
  onCheck?(check: DatasetCheck): void;
}

export interface TrainingResult {
  card: ModelCard | undefined;
  state: TrainState;
  backend: string;
  /** Set when the run stopped before export (Ctrl-C): the checkpoint is in `<out>/.checkpoint`. */
  interrupted: boolean;
}

export const DEFAULT_TRAINING: Omit<TrainingOptions, 'data' | 'out' | 'name' | 'command'> = {
  epochs: 30,
  imageSize: 128,
  batchSize: 32,
  seed: 1,
  learningRate: 3e-3,
  backend: 'auto',
  resume: false,
  quantize: 'float32',
  width: 16,
  stageMultipliers: [2, 4, 6],
  patience: 8,
  warmupEpochs: 1,
  augment: DEFAULT_AUGMENT,
};

/** Decoded-input cache of a training run: bounded, whatever the dataset's size (images beyond it are decoded again each epoch). */
export const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024;

/** Most training images the out-of-distribution statistics are fitted on (a seeded sample above it). */
export const OOD_FIT_MAX = 4096;

/** The source tree's git commit (with "+dirty" when it has changes), or "unknown" outside git. */
function sourceCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'core', 'training'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

function prevalence(ds: Dataset, split: 'train' | 'val' | 'test'): Record<string, number> {
  const s = ds.summary.splits[split];
  return Object.fromEntries(ds.labels.map((l) => [l, s.examples === 0 ? 0 : (s.positives[l] ?? 0) / s.examples]));
}

export async function runTraining(o: TrainingOptions, events: TrainingEvents = {}): Promise<TrainingResult> {
  const started = globalThis.performance.now();
  const cpuStart = process.cpuUsage();
  const { backend, reason } = await selectBackend(o.backend);
  events.onBackend?.(backend, reason);
  // Refused before the dataset check: a ghost batch that does not divide the batch, workers on another backend.
  const ghost = ghostBatchSize(o.batchSize, o.ghostBatch);
  const plan = planWorkers(o.trainWorkers ?? 'auto', o.batchSize / ghost, backend);
  const info = (m: string) => events.onInfo?.(m);

  const S = o.imageSize;
  const params: PreprocessParams = { ...DEFAULT_PREPROCESS_PARAMS, height: S, width: S };
  // The batch loader's decode workers are unref'd: while a batch is pending nothing else keeps
  // Node's event loop alive (exit code 13, unsettled await). Hold a ref'd timer for the run.
  const keepAlive = setInterval(() => undefined, 60_000);
  // A bounded cache whatever the dataset's size: training streams through the images.
  const loader: BatchLoader = createBatchLoader({
    params,
    cacheBytes: o.cacheBytes ?? DEFAULT_CACHE_BYTES,
    skipBad: true, // the dataset check refused unreadable images, unless --skip-bad left them out
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
  });
  try {
    // Fail fast: the whole dataset is checked before the first training step.
    const { dataset: ds, labelsOff } = await trainingDataset(
      o.data,
      {
        seed: o.seed,
        ...(o.splitFractions ? { splitFractions: o.splitFractions } : {}),
        ...(o.labels ? { labels: o.labels } : {}),
        ...(o.uncertain !== undefined ? { uncertain: o.uncertain } : {}),
        ...(o.views !== undefined ? { views: o.views } : {}),
        skipBad: o.skipBad ?? false,
        allowLabelsOff: o.allowLabelsOff ?? false,
        ...(o.scan === false ? {} : { scan: { params, loader } }),
      },
      events.onCheck,
    );
    if (labelsOff) info(`switched off (--allow-labels-off): ${Object.values(labelsOff).join(' ')}`);
    info(
      `dataset ${ds.root}: ${ds.summary.layout}, ${ds.summary.examples} images of ${ds.summary.patients} patients; ` +
        `train ${ds.splits.train.length}, val ${ds.splits.val.length}, test ${ds.splits.test.length}; labels ${ds.labels.join(', ')}`,
    );
    const trained = await trainModel(o, events, ds, loader, params, backend, { ghost, plan });
    if (trained.state.stopped === 'interrupted') return { card: undefined, state: trained.state, backend, interrupted: true };
    let card: ModelCard;
    try {
      const { draft, files } = await fitTrainedCard(o, ds, loader, trained, backend, info);
      if (labelsOff) {
        draft.labelsOff = labelsOff;
        draft.limitations = [...draft.limitations, `Switched off (not output): ${Object.keys(labelsOff).join(', ')} — see labelsOff for why.`];
      }
      const cpu = process.cpuUsage(cpuStart);
      draft.training = { ...draft.training, durationSeconds: (globalThis.performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
      ({ card } = await writeModelFolder(o.out, draft, files));
    } catch (error) {
      throw keptModelError(error, o, trained.state);
    }
    trained.model.dispose();
    trained.optimizer.dispose();
    await rm(`${o.out}/${CHECKPOINT_DIR}`, { recursive: true, force: true });
    return { card, state: trained.state, backend, interrupted: false };
  } finally {
    clearInterval(keepAlive);
    await loader.close();
  }
}

/**
 * A failure after training (calibration, evaluation, export) must not lose the model: the
 * checkpoint of the last epoch and the best weights stay in `<out>/.checkpoint`, and the error
 * says how to finish without retraining (`--resume` with `--epochs` at the epochs done).
 */
function keptModelError(error: unknown, o: TrainingOptions, state: TrainState): RadLocalError {
  const e = toSerializedError(error);
  return new RadLocalError(
    e.code,
    `${e.message}\nThe trained model is kept: ${o.out}/${CHECKPOINT_DIR} holds its weights after ${state.epoch} epochs ` +
      `(best epoch ${state.bestEpoch}, val macro-AUC ${state.bestAuc.toFixed(4)}). Fix the cause, then finish it without retraining: ` +
      `${o.command} --resume --epochs ${state.epoch}`,
    { cause: error, details: { ...(error instanceof RadLocalError ? error.details : {}), checkpoint: `${o.out}/${CHECKPOINT_DIR}`, epochs: state.epoch } },
  );
}

interface TrainedModel {
  model: tfl.LayersModel;
  optimizer: tf.AdamOptimizer;
  modelOptions: ResolvedClassifierOptions;
  state: TrainState;
  positiveWeights: Float32Array;
  /** The validation split, decoded (the card is calibrated on it). */
  val: Batch;
}

/** Dataset → model → training loop (checkpoints, resume, early stopping); the best weights restored. */
async function trainModel(
  o: TrainingOptions,
  events: TrainingEvents,
  ds: Dataset,
  loader: BatchLoader,
  params: PreprocessParams,
  backend: string,
  { ghost, plan }: { ghost: number; plan: WorkerPlan },
): Promise<TrainedModel> {
  const info = (m: string) => events.onInfo?.(m);
  const labels = ds.labels;
  const S = o.imageSize;
  const val = await loader.load(ds.splits.val);
  const posWeights = positiveWeights(ds.splits.train.map((r) => r.labels), labels.length, 10, ds.splits.train.map((r) => r.known));
  const modelOptions = resolveClassifierOptions({ inputSize: S, labels, width: o.width, stageMultipliers: o.stageMultipliers, seed: o.seed, ...(o.head ? { head: o.head } : {}) });
  const model = createClassifier(modelOptions);
  const optimizer = tf.train.adam(o.learningRate) as tf.AdamOptimizer;
  const microBatches = o.batchSize / ghost;
  const run = { imageSize: S, width: o.width, stages: o.stageMultipliers, labels, seed: o.seed, batchSize: o.batchSize, ghostBatch: ghost, data: ds.root };
  let state = initialState();
  let best: Float32Array[] | undefined;
  if (o.resume) {
    if (!hasCheckpoint(o.out)) throw new RadLocalError('CLI_USAGE', `Expected a checkpoint in ${o.out}/${CHECKPOINT_DIR} to resume from, but there is none.`);
    const restored = await loadCheckpoint(o.out, model, optimizer);
    state = restored.state;
    state.stopped = undefined;
    if (state.bestEpoch > 0) best = await loadBestWeights(o.out, model);
    info(`resumed after epoch ${state.epoch} (best epoch ${state.bestEpoch}, val macro-AUC ${state.bestAuc.toFixed(4)})`);
  }

  const stepsPerEpoch = Math.max(1, Math.min(Math.floor(ds.splits.train.length / o.batchSize), o.maxStepsPerEpoch ?? Infinity));
  const pixels = S * S;
  async function* batchesForEpoch(epoch: number, skip: number): AsyncGenerator<TrainBatch> {
    let step = 0;
    for await (const batch of loader.batches(ds.splits.train, o.batchSize, { shuffleSeed: o.seed * 100_003 + epoch, dropRemainder: true })) {
      if (step++ >= stepsPerEpoch) break;
      if (step <= skip) continue;
      const x = batch.x;
      if (o.augment) {
        batch.refs.forEach((ref, i) => {
          // a stable per-(seed, epoch, file) augmentation stream, independent of batch order and of
          // where the dataset lies (the path relative to its root, so a copied dataset trains the same)
          const random = seededRandom(hashString(`${o.seed}:${epoch}:${relative(ds.root, ref.path).split(sep).join('/')}`));
          x.set(augmentImage(x.subarray(i * pixels, (i + 1) * pixels), S, random, { ...o.augment!, fillValue: params.padValue }), i * pixels);
        });
      }
      yield { x, y: batch.y, size: batch.size };
    }
  }

  // The main thread's replica: it takes every step itself, or takes the workers' weights when
  // validation, best weights and checkpoints read it (runner.sync()).
  const replica = new Replica(model, optimizer, posWeights, S);
  events.onWorkers?.(plan.workers, microBatches, plan.reason);
  info(`steps: ${plan.reason}; ${microBatches} ghost batch(es) of ${ghost} images per step`);
  let pool: ReplicaPool | undefined;
  if (plan.workers > 1) {
    pool = await createReplicaPool({ workers: plan.workers, microBatches, model: modelOptions, learningRate: o.learningRate, positiveWeights: posWeights, replica, ...(o.workerFault ? { fault: o.workerFault } : {}) });
  }
  const runner: StepRunner = pool ?? {
    step: async (micro, learningRate) => replica.step(micro, learningRate),
    sync: async () => undefined,
    optimizerState: () => optimizerSnapshot(optimizer),
  };
  try {
    state = await trainLoop(
      model,
      runner,
      batchesForEpoch,
      { x: val.x, y: val.y, n: val.size },
      { labels, inputSize: S, epochs: o.epochs, stepsPerEpoch, learningRate: o.learningRate, warmupEpochs: o.warmupEpochs, patience: o.patience, positiveWeights: posWeights, backend, microBatches, ...(o.timeBudgetMinutes !== undefined ? { timeBudgetSeconds: o.timeBudgetMinutes * 60 } : {}) },
      state,
      {
        onStep: events.onStep,
        shouldStop: events.shouldStop,
        onBest: async (weights) => {
          best = weights;
          await saveBestWeights(o.out, weights);
        },
        onEpoch: async (entry, s) => {
          events.onEpoch?.(entry, backend);
          await saveCheckpoint(o.out, model, await runner.optimizerState(), s, run);
        },
      },
    );
    if (state.stopped === 'interrupted') await saveCheckpoint(o.out, model, await runner.optimizerState(), state, run);
  } finally {
    await pool?.close();
    replica.dispose();
  }
  if (state.stopped === 'interrupted') {
    info(`interrupted: checkpoint saved in ${o.out}/${CHECKPOINT_DIR}; continue with --resume`);
    return { model, optimizer, modelOptions, state, positiveWeights: posWeights, val };
  }
  if (best) restoreWeights(model, best);
  if (state.stopped === 'time-budget') info(`time budget of ${o.timeBudgetMinutes} min reached after epoch ${state.epoch}`);
  if (state.stopped === 'early-stopping') info(`early stopping after epoch ${state.epoch}: no better val macro-AUC for ${o.patience} epochs`);
  info(`best epoch ${state.bestEpoch} (val macro-AUC ${state.bestAuc.toFixed(4)}); calibrating and exporting`);
  return { model, optimizer, modelOptions, state, positiveWeights: posWeights, val };
}

/**
 * The card stage for a model trained here: calibrated on the validation split (temperature
 * floor MIN_TEMPERATURE), OOD fitted on training-split layer summaries and thresholded on
 * validation ones, metrics of the exported model (float16 when asked, drift vs float32 recorded) on
 * the test split. @returns the card draft and the files to write.
 */
async function fitTrainedCard(o: TrainingOptions, ds: Dataset, loader: BatchLoader, trained: TrainedModel, backend: string, info: (m: string) => void): Promise<{ draft: CardDraft; files: Map<string, Uint8Array> }> {
  const { model, val } = trained;
  const graph = classifierGraph(model);
  const valOut = await forward(graph, val.x, val.size);
  // The OOD statistics are fitted on a seeded sample of the training split (all of it up to
  // OOD_FIT_MAX images): decoding 10⁵ training images at once would not fit in memory.
  const train = await loader.load(sampleRefs(ds.splits.train, OOD_FIT_MAX, o.seed));
  const trainOut = await forward(graph, train.x, train.size);
  const test = await loader.load(ds.splits.test);
  const files32 = await serializeModel(model, 'float32');
  let files = files32;
  let quantization: CardDraft['quantization'] = { dtype: o.quantize };

  /** Outputs of the exported model (rebuilt from its serialised files by core) on the test split. */
  const exportedOutputs = async (modelFiles: Map<string, Uint8Array>): Promise<OutputSet> => {
    const exported = await buildLayersModel(modelFiles, MODEL_JSON);
    try {
      const out = await forward(classifierGraph(exported), test.x, test.size);
      return { logits: rowsOf(out.logits, test.size), oodFeatures: out.oodFeatures, truth: rowsOf(test.y, test.size) };
    } finally {
      exported.dispose();
    }
  };
  const testOutputs = async (card: FittedCard): Promise<OutputSet> => {
    const out32 = await exportedOutputs(files32);
    if (o.quantize !== 'float16') return out32;
    files = await serializeModel(model, 'float16');
    const out16 = await exportedOutputs(files);
    let max = 0;
    let sum = 0;
    let count = 0;
    out16.logits.forEach((logits, i) => {
      const s16 = calibratedScores(card, logits);
      const s32 = calibratedScores(card, out32.logits[i] as Float32Array);
      for (const label of card.labels) {
        const d = Math.abs((s16[label] as number) - (s32[label] as number));
        max = Math.max(max, d);
        sum += d;
        count++;
      }
    });
    quantization = { dtype: 'float16', maxScoreDrift: max, meanScoreDrift: sum / Math.max(1, count) };
    info(`float16 weights: score drift vs float32 max ${max.toExponential(2)}, mean ${(sum / Math.max(1, count)).toExponential(2)}`);
    return out16;
  };

  const draft = await fitCard({
    base: trainingCardBase(o, ds, trained, backend),
    calibration: { outputs: { logits: rowsOf(valOut.logits, val.size), truth: rowsOf(val.y, val.size) }, fittedOn: `validation split (${val.size} images)`, minTemperature: MIN_TEMPERATURE },
    ood: {
      layers: defaultOodLayers(model),
      fit: trainOut.oodFeatures,
      fittedOn: `training split (${train.size} images)`,
      threshold: valOut.oodFeatures,
      thresholdedOn: `validation split (${val.size} images)`,
      headers: await sampleHeaders(ds.splits.train),
    },
    metrics: { test: { split: `test split (${test.size} images)`, outputs: testOutputs } },
    seed: o.seed,
  });
  return { draft: { ...draft, quantization }, files };
}

/** Everything in the card of a trained model that the card stage does not fit. */
function trainingCardBase(o: TrainingOptions, ds: Dataset, trained: TrainedModel, backend: string): CardBase {
  const { model, modelOptions, state } = trained;
  const labels = ds.labels;
  const S = o.imageSize;
  return {
    schemaVersion: MODEL_CARD_SCHEMA_VERSION,
    name: o.name,
    version: '1.0.0',
    createdAt: new Date().toISOString(),
    labels: [...labels],
    input: { height: S, width: S, channels: 1, dtype: 'float32' },
    preprocessing: { ...DEFAULT_PREPROCESS_PARAMS, height: S, width: S },
    architecture: {
      name: ARCHITECTURE_NAME,
      format: 'layers-model',
      modelFile: MODEL_JSON,
      ...classifierCardLayers(modelOptions),
      parameters: model.countParams(),
      weightsDtype: o.quantize,
      options: { inputSize: S, width: o.width, stageMultipliers: modelOptions.stageMultipliers.join(','), dropout: modelOptions.dropout, seed: modelOptions.seed, head: modelOptions.head },
    },
    trainingData: {
      source: ds.root.includes('phantom') || ds.summary.layout === 'phantom' ? `RadLocal phantom generator (${ds.summary.layout} layout)` : describeTrainingData(ds.summary),
      synthetic: ds.summary.layout === 'phantom',
      seed: o.seed,
      counts: { train: ds.splits.train.length, val: ds.splits.val.length, test: ds.splits.test.length },
      patients: { train: ds.summary.splits.train.patients, val: ds.summary.splits.val.patients, test: ds.summary.splits.test.patients },
      prevalence: prevalence(ds, 'train'),
      fingerprint: datasetFingerprint(ds),
      testSplitFingerprint: splitFingerprint(ds, 'test'),
    },
    training: {
      command: o.command,
      seed: o.seed,
      epochs: state.epoch,
      bestEpoch: state.bestEpoch,
      batchSize: o.batchSize,
      backend,
      // set when the folder is written
      durationSeconds: 0,
      cpuSeconds: 0,
      stopReason: state.stopped === undefined || state.stopped === 'interrupted' ? 'epochs' : state.stopped,
      positiveWeights: Object.fromEntries(labels.map((l, j) => [l, trained.positiveWeights[j] as number])),
      augmentation: o.augment ? describeAugment(o.augment) : 'none',
      history: state.history,
    },
    quantization: { dtype: o.quantize },
    software: { radlocal: '0.1.0', sourceCommit: sourceCommit(), tfjs: tf.version_core, node: process.version, backend },
    intendedUse:
      o.intendedUse ??
      'Research and software testing of the RadLocal pipeline: a second opinion on frontal chest radiographs that never leaves the local machine.',
    limitations: [
      ...(ds.summary.layout === 'phantom' ? [DEFAULT_LIMITATIONS] : ['Not a medical device: not validated for clinical use.']),
      `Trained on ${ds.splits.train.length} images at ${S}×${S}; findings smaller than a few pixels at that size are not detectable.`,
      'Out-of-distribution flag: multi-layer feature distance (texture, structures, anatomy, layout) above the limit that accepts 98 % of validation images, or a DICOM modality / body part / photometric interpretation not seen in training.',
    ],
  };
}
