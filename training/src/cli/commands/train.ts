/**
 * `radlocal train --data DIR --out models/NAME [options]` (contract in ARCHITECTURE.md). With --json,
 * one line per epoch on stdout: {epoch, loss, valLoss, valAuc, imagesPerSecond, backend, workers};
 * otherwise a progress bar on a TTY (plain lines when not a TTY) on stderr.
 */
import { basename } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { BACKEND_CHOICES, type BackendChoice } from '../../backend/select-backend.ts';
import { DEFAULT_AUGMENT } from '../../train/augment.ts';
import { createProgress } from '../../train/progress.ts';
import { DEFAULT_TRAINING, runTraining } from '../../train/run-training.ts';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from '../cli-options.ts';
import { CLASSIFIER_HEADS, type ClassifierHead } from '../../model/create-model.ts';
import { DATASET_HELP, DATASET_OPTIONS, parseDatasetOptions, runDatasetCheck } from '../dataset-options.ts';
import { formatDatasetCheck } from '../../data/check-dataset.ts';
import { fixed } from '../format-metric.ts';

const D = DEFAULT_TRAINING;
export const HELP = `Usage: radlocal train --data DIR --out models/NAME [options]

Trains the RadLocal classifier on a labelled image folder (phantom labels.csv, CSV manifest,
NIH ChestX-ray14, CheXpert, MIMIC-CXR-JPG, PadChest, RSNA or folder per class — as
distributed, see datasets/README.md). First it checks the dataset (every image decoded once)
and refuses, with the numbers, what cannot be learned, calibrated or evaluated. Then it
trains, calibrates it on the validation split, fits
thresholds (sensitivity 0.90) and out-of-distribution statistics, evaluates the exported
model on the test split and writes models/NAME/{model.json, weights, model-card.json}.

Options:
  --data DIR            dataset folder (required)
  --out DIR             output model folder (required); its name is the model name
  --check               only check the dataset and print the summary (with --json: one
                        JSON object); exit 1 when it has problems. --out not needed
${DATASET_HELP}
  --allow-labels-off    train the labels that can be trained; the others are switched off
                        in the model card (labelsOff) with the reason
  --no-scan             skip decoding every image in the check (no unreadable/duplicate check)
  --cache-mb N          decoded-input cache budget (default 1024)
  --epochs N            maximum epochs (default ${D.epochs})
  --image-size N        input size in pixels, a multiple of 16 (default ${D.imageSize})
  --batch-size N        (default ${D.batchSize})
  --lr X                peak learning rate of Adam (warm-up then cosine; default ${D.learningRate})
  --seed N              seed of the split, initialisation, shuffling, augmentation (default ${D.seed})
  --width N             channels of the first layer (default ${D.width})
  --stages A,B,…        channel multipliers of the residual stages, each halving the
                        resolution (default ${D.stageMultipliers.join(',')})
  --head H              gap: global average pooling and a dense layer (default); map: a
                        per-finding logit map (1×1 convolution) pooled by the mean of its
                        maximum and its average, the map is the heatmap (on the phantoms it
                        did not learn the nodule: see the default model's card, tradeOffs)
  --patience N          early stopping: epochs without a better val macro-AUC (default ${D.patience})
  --backend B           auto|tensorflow|wasm|cpu (default auto)
  --workers N|auto      data-parallel training in N worker threads, each running the
                        WebAssembly backend with a replica of the model; gradients are
                        averaged every step, so N changes the speed, not the model.
                        auto (default): one worker per core (os.availableParallelism()),
                        at most one per ghost batch; one thread on a single core or
                        on a backend other than wasm. Every step waits for the slowest
                        worker: on a machine busy with other work --workers 1 can be faster
  --ghost-batch N       images per ghost batch: each step splits its batch into ghost
                        batches, batch norm normalises over each (default: half the
                        batch, i.e. 2 per step); workers share a step's ghost batches,
                        so more cores need --ghost-batch (batch size / cores)
  --quantize float16    store float16 weights (score drift measured and recorded in the card)
  --no-augment          train without augmentation
  --flip P              left-right flip probability (default 0: anatomy is not symmetric)
  --time-budget MIN     stop training epochs after MIN minutes (best weights kept, then export)
  --resume              continue from <out>/.checkpoint (saved every epoch and on Ctrl-C)
  --json                one JSON line per epoch on stdout (with the number of workers)
  --help                this text`;

export async function run(args: string[]): Promise<number> {
  const { values: v } = parseCommandArgs(
    args,
    {
      data: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      'image-size': { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      width: { type: 'string' },
      stages: { type: 'string' },
      head: { type: 'string' },
      patience: { type: 'string' },
      backend: { type: 'string' },
      workers: { type: 'string' },
      'ghost-batch': { type: 'string' },
      quantize: { type: 'string' },
      'no-augment': { type: 'boolean' },
      flip: { type: 'string' },
      resume: { type: 'boolean' },
      json: { type: 'boolean' },
      'max-steps-per-epoch': { type: 'string' },
      'time-budget': { type: 'string' },
      check: { type: 'boolean' },
      'allow-labels-off': { type: 'boolean' },
      'no-scan': { type: 'boolean' },
      'cache-mb': { type: 'string' },
      ...DATASET_OPTIONS,
    },
    HELP,
  );
  const dataset = parseDatasetOptions(v);
  if (v.check) {
    if (!v.data) throw new RadLocalError('CLI_USAGE', `Expected --data DIR to check.\n\n${HELP}`);
    const seed = integerOption('--seed', v.seed, D.seed, 0);
    const imageSize = integerOption('--image-size', v['image-size'], D.imageSize, 16);
    return (await runDatasetCheck(v.data, { ...dataset, seed, imageSize, json: v.json === true })).code;
  }
  if (!v.data || !v.out) throw new RadLocalError('CLI_USAGE', `Expected --data DIR and --out models/NAME.\n\n${HELP}`);
  const backend = choiceOption<BackendChoice>('--backend', v.backend, BACKEND_CHOICES, 'auto');
  if (v.quantize !== undefined && v.quantize !== 'float16') {
    throw new RadLocalError('CLI_USAGE', `Expected --quantize float16 (the only quantisation), but got "${v.quantize}".`);
  }
  const flip = numberOption('--flip', v.flip, 0, 0);
  const trainWorkers = v.workers === undefined || v.workers === 'auto' ? 'auto' : integerOption('--workers', v.workers, 1, 1);
  let workers = 1;
  const json = v.json === true;
  const progress = createProgress({ json, stream: process.stderr });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    progress.message('Ctrl-C: saving a checkpoint after this step (press again to quit at once)…');
  };
  process.on('SIGINT', onSigint);
  try {
    const maxSteps = v['max-steps-per-epoch'];
    const result = await runTraining(
      {
        ...D,
        data: v.data,
        out: v.out,
        name: basename(v.out).toLowerCase(),
        epochs: integerOption('--epochs', v.epochs, D.epochs),
        imageSize: integerOption('--image-size', v['image-size'], D.imageSize, 16),
        batchSize: integerOption('--batch-size', v['batch-size'], D.batchSize),
        learningRate: numberOption('--lr', v.lr, D.learningRate, 0),
        seed: integerOption('--seed', v.seed, D.seed, 0),
        width: integerOption('--width', v.width, D.width),
        stageMultipliers: v.stages === undefined ? D.stageMultipliers : v.stages.split(',').map((m) => numberOption('--stages', m, 1, 0)),
        head: choiceOption<ClassifierHead>('--head', v.head, CLASSIFIER_HEADS, 'gap'),
        patience: integerOption('--patience', v.patience, D.patience),
        backend,
        trainWorkers,
        ...(v['ghost-batch'] !== undefined ? { ghostBatch: integerOption('--ghost-batch', v['ghost-batch'], 1, 1) } : {}),
        quantize: v.quantize === 'float16' ? 'float16' : 'float32',
        augment: v['no-augment'] ? null : { ...DEFAULT_AUGMENT, flipProbability: flip },
        resume: v.resume === true,
        command: `radlocal train ${args.join(' ')}`,
        ...(maxSteps !== undefined ? { maxStepsPerEpoch: integerOption('--max-steps-per-epoch', maxSteps, 1) } : {}),
        ...(v['time-budget'] !== undefined ? { timeBudgetMinutes: numberOption('--time-budget', v['time-budget'], 0, 0) } : {}),
        ...dataset,
        allowLabelsOff: v['allow-labels-off'] === true,
        scan: v['no-scan'] !== true,
        ...(v['cache-mb'] !== undefined ? { cacheBytes: integerOption('--cache-mb', v['cache-mb'], 1024) * 1024 * 1024 } : {}),
      },
      {
        onBackend: (name, reason) => progress.message(`backend: ${name} — ${reason}`),
        onInfo: (m) => progress.message(m),
        onWorkers: (n) => {
          workers = n;
        },
        onCheck: (check) => progress.message(formatDatasetCheck(check).trimEnd()),
        onStep: (s) => progress.step(s),
        onEpoch: (entry, name) => {
          if (json) {
            const { epoch, loss, valLoss, valAuc, imagesPerSecond } = entry;
            process.stdout.write(`${JSON.stringify({ epoch, loss, valLoss, valAuc, imagesPerSecond, backend: name, workers })}\n`);
          } else {
            progress.epoch(entry);
          }
        },
        shouldStop: () => interrupts > 0,
      },
    );
    if (result.interrupted) return 130;
    const card = result.card!;
    const t = card.metrics.test;
    progress.message(
      `wrote ${v.out}: test macro-AUC ${fixed(t.macroAuc, 4)}, ECE ${t.ece.toFixed(4)} (before calibration ${t.eceBeforeCalibration.toFixed(4)}), ` +
        `OOD rate ${t.oodRate.toFixed(3)}, ${(card.training.durationSeconds / 60).toFixed(1)} min on ${result.backend}`,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }
}
