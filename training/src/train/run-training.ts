/**
 * `radlocal train` as a function: dataset → model → training loop → calibration, thresholds
 * and OOD statistics on the validation split → export → evaluation of the exported model on
 * the test split through the same core/model pipeline the viewer uses → final model card.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { loadModel, type LoadedModel } from '../../../core/model/load-model.ts';
import { DEFAULT_LIMITATIONS, MODEL_CARD_FILE, MODEL_CARD_SCHEMA_VERSION, type Evaluation, type HistoryEntry, type ModelCard } from '../../../core/model/model-card.ts';
import { postprocess, runModel } from '../../../core/model/predict.ts';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from '../../../core/preprocess/params.ts';
import { selectBackend, type BackendChoice } from '../backend/select-backend.ts';
import { createBatchLoader, type BatchLoader } from '../data/batch-loader.ts';
import { projectDecoder } from '../data/decode-example.ts';
import type { Dataset, ExampleRef } from '../data/dataset-types.ts';
import { openDataset } from '../data/open-dataset.ts';
import { fitCalibration } from '../../../core/calibration/fit-calibration.ts';
import { operatingPoint } from '../../../core/metrics/metrics.ts';
import { seededRandom } from '../../../core/random/seeded-random.ts';
import { applyTemperature } from '../../../core/calibration/temperature.ts';
import { summarizePredictions } from '../eval/summarize.ts';
import { cardBytes, fileEntries, writeModelFolder, type CardDraft } from '../export/model-folder.ts';
import { MODEL_JSON, serializeModel, type WeightsDtype } from '../export/serialize-model.ts';
import { ARCHITECTURE_NAME, createClassifier, EMBEDDING_LAYER, FEATURE_LAYER, LOGITS_LAYER, resolveClassifierOptions } from '../model/create-model.ts';
import { augmentImage, DEFAULT_AUGMENT, describeAugment, type AugmentOptions } from './augment.ts';
import { CHECKPOINT_DIR, hasCheckpoint, loadBestWeights, loadCheckpoint, saveBestWeights, saveCheckpoint } from './checkpoint.ts';
import { fitOodStatistics } from './fit-ood.ts';
import { positiveWeights } from './loss.ts';
import { initialState, predictLogits, restoreWeights, trainLoop, type StepInfo, type TrainBatch, type TrainState } from './train-loop.ts';

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
  patience: number;
  warmupEpochs: number;
  augment: AugmentOptions | null;
  /** Decode worker threads (default: cores − 1). */
  workers?: number;
  /** Wall-clock budget for the training epochs in minutes (calibration and export come after). */
  timeBudgetMinutes?: number;
  /** For tests: stop each epoch after this many steps. */
  maxStepsPerEpoch?: number;
  /** The command line, recorded in the card. */
  command: string;
  intendedUse?: string;
  /** Passed to openDataset (e.g. to keep every split non-empty in a tiny test set). */
  splitFractions?: { train: number; val: number; test: number };
}

export interface TrainingEvents {
  onBackend?(backend: string, reason: string): void;
  onInfo?(message: string): void;
  onStep?(info: StepInfo): void;
  onEpoch?(entry: HistoryEntry, backend: string): void;
  shouldStop?(): boolean;
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

/** FNV-1a 32-bit: a stable per-(seed, epoch, file) augmentation seed, independent of batch order. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

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

/** Pooled embeddings [n, C] (inference mode) through a sub-model ending at the GAP layer. */
function embeddings(model: tfl.LayersModel, x: Float32Array, n: number, size: number): Float32Array[] {
  const sub = tfl.model({ inputs: model.inputs, outputs: model.getLayer(EMBEDDING_LAYER).output as tfl.SymbolicTensor });
  const channels = (sub.outputs[0]?.shape[1] ?? 0) as number;
  const flat = predictLogits(sub, x, n, size, channels);
  return Array.from({ length: n }, (_, i) => flat.slice(i * channels, (i + 1) * channels));
}

function rows(flat: Float32Array, n: number, width: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => flat.slice(i * width, (i + 1) * width));
}

/** Distinct DICOM header values of a sample of training files (for the card's OOD header checks). */
async function expectedHeaders(refs: readonly ExampleRef[], sample = 64): Promise<ModelCard['ood']['expected']> {
  const decode = await projectDecoder();
  const modalities = new Set<string>();
  const bodyParts = new Set<string>();
  const photometric = new Set<string>();
  for (const ref of refs.slice(0, sample)) {
    try {
      const image = await decode(new Uint8Array(await readFile(ref.path)));
      if (image.source !== 'dicom') continue;
      if (image.modality) modalities.add(image.modality.trim().toUpperCase());
      if (image.bodyPartExamined) bodyParts.add(image.bodyPartExamined.trim().toUpperCase());
      photometric.add(image.photometricInterpretation);
    } catch {
      // unreadable files are reported by the batch loader; a header sample can skip them
    }
  }
  return { modalities: [...modalities].sort(), bodyParts: [...bodyParts].sort(), photometric: [...photometric].sort() };
}

/**
 * Lowest temperature kept. When the validation split separates a label perfectly, the NLL-optimal
 * temperature runs to its lower bound and every score becomes exactly 0 or 1 — overconfident on
 * new images. Sharpening the trained logits by at most 2× keeps scores graded; the threshold is
 * then re-chosen on the floored scores.
 */
export const MIN_TEMPERATURE = 0.5;

export function floorTemperatures(
  calibration: ReturnType<typeof fitCalibration>,
  labels: readonly string[],
  logits: Float32Array,
  y: Float32Array,
  n: number,
): void {
  const L = labels.length;
  labels.forEach((label, j) => {
    if ((calibration.temperatures[label] as number) >= MIN_TEMPERATURE) return;
    const z = Float64Array.from({ length: n }, (_, i) => logits[i * L + j] as number);
    const t = Float64Array.from({ length: n }, (_, i) => y[i * L + j] as number);
    const point = operatingPoint(applyTemperature(z, MIN_TEMPERATURE), t, 0.9);
    calibration.temperatures[label] = MIN_TEMPERATURE;
    calibration.thresholds[label] = { threshold: point.threshold, targetSensitivity: 0.9, sensitivity: point.sensitivity, specificity: point.specificity };
  });
}

function prevalence(ds: Dataset, split: 'train' | 'val' | 'test'): Record<string, number> {
  const s = ds.summary.splits[split];
  return Object.fromEntries(ds.labels.map((l) => [l, s.examples === 0 ? 0 : (s.positives[l] ?? 0) / s.examples]));
}

/** Evaluates a loaded model on preprocessed inputs through core/model (runModel + postprocess). */
export async function evaluateLoaded(loaded: LoadedModel, x: Float32Array, y: Float32Array, n: number, split: string, seed: number): Promise<{ evaluation: Evaluation; scores: Float32Array }> {
  const L = loaded.card.labels.length;
  const pixels = loaded.card.input.height * loaded.card.input.width;
  const records = [];
  const scores = new Float32Array(n * L);
  for (let start = 0; start < n; start += 64) {
    const size = Math.min(64, n - start);
    const out = await runModel(loaded, x.subarray(start * pixels, (start + size) * pixels), size);
    for (let i = 0; i < size; i++) {
      const logits = out.logits.subarray(i * L, (i + 1) * L);
      const p = postprocess(loaded, logits, out.embeddings.subarray(i * loaded.featureChannels, (i + 1) * loaded.featureChannels), undefined);
      const s = loaded.card.labels.map((l) => p.scores[l] as number);
      scores.set(s, (start + i) * L);
      records.push({ logits: Array.from(logits), scores: s, truth: Array.from(y.subarray((start + i) * L, (start + i + 1) * L)), oodFlagged: p.ood.flagged });
    }
  }
  const thresholds = Object.fromEntries(loaded.card.labels.map((l) => [l, loaded.card.thresholds[l]?.threshold ?? 1]));
  const { summary } = summarizePredictions(records, { labels: loaded.card.labels, thresholds, seed, bootstrapIterations: 500 });
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  const evaluation: Evaluation = {
    split,
    n,
    macroAuc: finite(summary.macroAuc),
    ece: summary.ece,
    eceBeforeCalibration: summary.eceBeforeCalibration,
    oodRate: summary.oodRate,
    perLabel: Object.fromEntries(
      Object.entries(summary.perLabel).map(([label, m]) => [
        label,
        {
          auc: finite(m.auc),
          aucCi95: [finite(m.aucCi95[0]), finite(m.aucCi95[1])] as [number, number],
          sensitivity: finite(m.sensitivity),
          specificity: finite(m.specificity),
          positives: m.positives,
          negatives: m.negatives,
        },
      ]),
    ),
  };
  return { evaluation, scores };
}

export async function runTraining(o: TrainingOptions, events: TrainingEvents = {}): Promise<TrainingResult> {
  const started = globalThis.performance.now();
  const cpuStart = process.cpuUsage();
  const { backend, reason } = await selectBackend(o.backend);
  events.onBackend?.(backend, reason);
  const info = (m: string) => events.onInfo?.(m);

  const ds = openDataset(o.data, { seed: o.seed, ...(o.splitFractions ? { splitFractions: o.splitFractions } : {}) });
  const labels = ds.labels;
  const L = labels.length;
  const S = o.imageSize;
  const params: PreprocessParams = { ...DEFAULT_PREPROCESS_PARAMS, height: S, width: S };
  info(
    `dataset ${ds.root}: ${ds.summary.layout}, ${ds.summary.examples} images of ${ds.summary.patients} patients; ` +
      `train ${ds.splits.train.length}, val ${ds.splits.val.length}, test ${ds.splits.test.length}; labels ${labels.join(', ')}`,
  );
  // The batch loader's decode workers are unref'd: while a batch is pending nothing else keeps
  // Node's event loop alive (exit code 13, unsettled await). Hold a ref'd timer for the run.
  const keepAlive = setInterval(() => undefined, 60_000);
  const loader: BatchLoader = createBatchLoader({
    params,
    cacheBytes: Math.max(256 * 1024 * 1024, (ds.summary.examples + 16) * S * S * 4),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
  });
  try {
    const val = await loader.load(ds.splits.val);
    const posWeights = positiveWeights(ds.splits.train.map((r) => r.labels), L);
    const modelOptions = resolveClassifierOptions({ inputSize: S, labels, width: o.width, stageMultipliers: o.stageMultipliers, seed: o.seed });
    const model = createClassifier(modelOptions);
    const optimizer = tf.train.adam(o.learningRate) as tf.AdamOptimizer;
    const run = { imageSize: S, width: o.width, stages: o.stageMultipliers, labels, seed: o.seed, batchSize: o.batchSize, data: ds.root };
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
    async function* batchesForEpoch(epoch: number): AsyncGenerator<TrainBatch> {
      let step = 0;
      for await (const batch of loader.batches(ds.splits.train, o.batchSize, { shuffleSeed: o.seed * 100_003 + epoch, dropRemainder: true })) {
        if (step++ >= stepsPerEpoch) break;
        const x = batch.x;
        if (o.augment) {
          batch.refs.forEach((ref, i) => {
            const random = seededRandom(hash32(`${o.seed}:${epoch}:${ref.path}`));
            x.set(augmentImage(x.subarray(i * pixels, (i + 1) * pixels), S, random, { ...o.augment!, fillValue: params.padValue }), i * pixels);
          });
        }
        yield { x, y: batch.y, size: batch.size };
      }
    }

    state = await trainLoop(
      model,
      optimizer,
      batchesForEpoch,
      { x: val.x, y: val.y, n: val.size },
      { labels, inputSize: S, epochs: o.epochs, stepsPerEpoch, learningRate: o.learningRate, warmupEpochs: o.warmupEpochs, patience: o.patience, positiveWeights: posWeights, backend, ...(o.timeBudgetMinutes !== undefined ? { timeBudgetSeconds: o.timeBudgetMinutes * 60 } : {}) },
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
          await saveCheckpoint(o.out, model, optimizer, s, run);
        },
      },
    );
    if (state.stopped === 'interrupted') {
      await saveCheckpoint(o.out, model, optimizer, state, run);
      info(`interrupted: checkpoint saved in ${o.out}/${CHECKPOINT_DIR}; continue with --resume`);
      return { card: undefined, state, backend, interrupted: true };
    }
    if (best) restoreWeights(model, best);
    if (state.stopped === 'time-budget') info(`time budget of ${o.timeBudgetMinutes} min reached after epoch ${state.epoch}`);
    if (state.stopped === 'early-stopping') info(`early stopping after epoch ${state.epoch}: no better val macro-AUC for ${o.patience} epochs`);
    info(`best epoch ${state.bestEpoch} (val macro-AUC ${state.bestAuc.toFixed(4)}); calibrating and exporting`);

    // Calibration and thresholds on validation logits; OOD statistics of training embeddings.
    const valLogits = predictLogits(model, val.x, val.size, S, L);
    const calibration = fitCalibration(labels, rows(valLogits, val.size, L), rows(val.y, val.size, L), 0.9);
    floorTemperatures(calibration, labels, valLogits, val.y, val.size);
    const train = await loader.load(ds.splits.train);
    const embeddingSize = (model.getLayer(EMBEDDING_LAYER).outputShape as number[])[1] as number;
    const ood = fitOodStatistics(embeddings(model, train.x, train.size, S), embeddings(model, val.x, val.size, S), embeddingSize, 99);
    const expected = await expectedHeaders(ds.splits.train);

    const test = await loader.load(ds.splits.test);
    const files32 = await serializeModel(model, 'float32');
    const draft: CardDraft = {
      schemaVersion: MODEL_CARD_SCHEMA_VERSION,
      name: o.name,
      version: '1.0.0',
      createdAt: new Date().toISOString(),
      labels: [...labels],
      input: { height: S, width: S, channels: 1, dtype: 'float32' },
      preprocessing: params,
      architecture: {
        name: ARCHITECTURE_NAME,
        format: 'layers-model',
        modelFile: MODEL_JSON,
        featureLayer: FEATURE_LAYER,
        logitsLayer: LOGITS_LAYER,
        parameters: model.countParams(),
        weightsDtype: o.quantize,
        options: { inputSize: S, width: o.width, stageMultipliers: modelOptions.stageMultipliers.join(','), dropout: modelOptions.dropout, seed: modelOptions.seed },
      },
      calibration: { method: 'temperature', fittedOn: `validation split (${val.size} images)`, temperatures: calibration.temperatures },
      thresholds: calibration.thresholds,
      ood: { embeddingSize, ...ood, expected },
      metrics: {
        // placeholder until the exported model is evaluated below (metrics do not affect predictions)
        test: { split: 'test', n: 0, macroAuc: 0, ece: 0, eceBeforeCalibration: 0, oodRate: 0, perLabel: Object.fromEntries(labels.map((l) => [l, { auc: 0, aucCi95: [0, 0], sensitivity: 0, specificity: 0, positives: 0, negatives: 0 }])) },
      },
      trainingData: {
        source: ds.root.includes('phantom') || ds.summary.layout === 'phantom' ? `RadLocal phantom generator (${ds.summary.layout} layout)` : `${ds.summary.layout} dataset`,
        synthetic: ds.summary.layout === 'phantom',
        seed: o.seed,
        counts: { train: ds.splits.train.length, val: ds.splits.val.length, test: ds.splits.test.length },
        patients: { train: ds.summary.splits.train.patients, val: ds.summary.splits.val.patients, test: ds.summary.splits.test.patients },
        prevalence: prevalence(ds, 'train'),
      },
      training: {
        command: o.command,
        seed: o.seed,
        epochs: state.epoch,
        bestEpoch: state.bestEpoch,
        batchSize: o.batchSize,
        backend,
        durationSeconds: 0,
        cpuSeconds: 0,
        stopReason: 'epochs',
        positiveWeights: Object.fromEntries(labels.map((l, j) => [l, posWeights[j] as number])),
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
        'Out-of-distribution flag: embedding distance above the 99th percentile of validation images, or a DICOM modality / body part / photometric interpretation not seen in training.',
      ],
    };

    const assemble = async (files: Map<string, Uint8Array>, card: CardDraft): Promise<LoadedModel> => {
      const full: ModelCard = { ...card, files: await fileEntries(files) };
      return loadModel(new Map([...files, [MODEL_CARD_FILE, cardBytes(full)]]));
    };
    const loaded32 = await assemble(files32, draft);
    const eval32 = await evaluateLoaded(loaded32, test.x, test.y, test.size, `test split (${test.size} images)`, o.seed);
    loaded32.dispose();
    let files = files32;
    let evaluation = eval32.evaluation;
    if (o.quantize === 'float16') {
      files = await serializeModel(model, 'float16');
      const loaded16 = await assemble(files, draft);
      const eval16 = await evaluateLoaded(loaded16, test.x, test.y, test.size, `test split (${test.size} images)`, o.seed);
      loaded16.dispose();
      let max = 0;
      let sum = 0;
      eval16.scores.forEach((v, i) => {
        const d = Math.abs(v - (eval32.scores[i] as number));
        max = Math.max(max, d);
        sum += d;
      });
      draft.quantization = { dtype: 'float16', maxScoreDrift: max, meanScoreDrift: sum / Math.max(1, eval16.scores.length) };
      evaluation = eval16.evaluation;
      info(`float16 weights: score drift vs float32 max ${max.toExponential(2)}, mean ${(sum / Math.max(1, eval16.scores.length)).toExponential(2)}`);
    }
    draft.metrics = { test: evaluation };
    draft.training.stopReason = state.stopped ?? 'epochs';
    draft.training.durationSeconds = (globalThis.performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    draft.training.cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const { card } = await writeModelFolder(o.out, draft, files);
    model.dispose();
    optimizer.dispose();
    await rm(`${o.out}/${CHECKPOINT_DIR}`, { recursive: true, force: true });
    return { card, state, backend, interrupted: false };
  } finally {
    clearInterval(keepAlive);
    await loader.close();
  }
}
