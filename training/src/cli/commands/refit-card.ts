/**
 * `radlocal refit-card --model DIR --data TRAIN_DIR [--threshold-data DIR] [--acceptance A]
 * [--benchmark-data DIR --ood DIR… --ood-near N] [--json]`: refits a model card's OOD section
 * (card schema version 2) WITHOUT touching the weights, the calibration or the thresholds —
 * for a model whose card predates the multi-layer OOD statistics (a version-1 card is refused
 * at "ood.method" until this has run).
 *
 * The statistics are fitted on the training split of the model's training data (TRAIN_DIR,
 * split with the card's seed; regenerate phantoms with the card's synth command) and
 * thresholded on --threshold-data (held-out in-distribution images the model never saw; the
 * validation split of TRAIN_DIR when absent). With --benchmark-data (other held-out images)
 * and --ood / --ood-near, the OOD benchmark is run with the refitted card and recorded in
 * `metrics.ood`. The model files are verified against the card's hashes first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';
import { FEATURES_OUTPUT, layersInferenceGraph, LOGITS_OUTPUT } from '../../../../core/model/inference-graph.ts';
import { buildLayersModel } from '../../../../core/model/load-model.ts';
import { MODEL_CARD_FILE, migrateModelCard, MODEL_CARD_SCHEMA_VERSION, parseModelCard, type ModelCard } from '../../../../core/model/model-card.ts';
import { verifyModelFiles } from '../../../../core/model/model-integrity.ts';
import type { OodHeader } from '../../../../core/model/ood.ts';
import { defaultOodLayers } from '../../../../core/model/ood-features.ts';
import { forward } from '../../../../core/model/predict.ts';
import { preprocessFrame } from '../../../../core/preprocess/preprocess-frame.ts';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backend/select-backend.ts';
import { DEFAULT_OOD_ACCEPTANCE, fitOodSection } from '../../card/fit-ood.ts';
import { openDataset } from '../../data/open-dataset.ts';
import { cardBytes, loadModelFolder } from '../../export/model-folder.ts';
import { runOodBenchmark } from '../../eval/ood-benchmark.ts';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from '../cli-options.ts';

export const HELP = `Usage: radlocal refit-card --model DIR --data TRAIN_DIR [options]

Refits the out-of-distribution statistics of a model card (multi-layer feature statistics,
card version 2 and later) without retraining: the weights, calibration and thresholds stay as they are.

Options:
  --model DIR            model folder (its card is rewritten; files are verified first)
  --data DIR             the model's training data (same layout and seed it was trained on):
                         statistics from its training split
  --threshold-data DIR   held-out in-distribution images for the threshold (default: the
                         validation split of --data)
  --acceptance A         share of the threshold images accepted (default ${DEFAULT_OOD_ACCEPTANCE})
  --benchmark-data DIR   other held-out images for the OOD benchmark (recorded in metrics.ood)
  --ood DIR…             OOD image folders for the benchmark, one category per folder
  --ood-near N           near-OOD variants of the first N benchmark images (default 100)
  --trade-offs FILE      also record the measured alternatives behind the model's recipe
                         (card tradeOffs: {decision, measuredOn, variants}, card version 3)
  --json                 print the refitted ood section and benchmark as JSON
  --backend B            auto|tensorflow|wasm|cpu (default auto)
  --help                 this text`;

async function filesOf(dir: string, labels: readonly string[], seed: number): Promise<string[]> {
  const ds = openDataset(dir, { labels, seed, splitFractions: { train: 0, val: 0, test: 1 } });
  return ds.splits.test.map((r) => r.path);
}

/** One forward pass per batch: the OOD summaries and DICOM headers of the files. */
async function summaries(model: Parameters<typeof layersInferenceGraph>[0], card: ModelCard, paths: readonly string[]) {
  const graph = layersInferenceGraph(model, { [FEATURES_OUTPUT]: card.architecture.featureLayer, [LOGITS_OUTPUT]: card.architecture.logitsLayer }, defaultOodLayers(model));
  const { height, width } = card.input;
  const features: Float32Array[][] = [];
  const headers: OodHeader[] = [];
  const batch = 32;
  for (let start = 0; start < paths.length; start += batch) {
    const chunk = paths.slice(start, start + batch);
    const x = new Float32Array(chunk.length * height * width);
    for (const [i, path] of chunk.entries()) {
      const image = await decodeImageFile(new Uint8Array(await readFile(path)));
      x.set(preprocessFrame(image, 0, card.preprocessing).data, i * height * width);
      headers.push({ source: image.source, modality: image.modality, bodyPartExamined: image.bodyPartExamined, photometricInterpretation: image.photometricInterpretation });
    }
    features.push(...(await forward(graph, x, chunk.length)).oodFeatures);
  }
  return { features, headers };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new RadLocalError('CLI_USAGE', `Expected ${path} to be a readable JSON file, but it is not: ${(error as Error).message}.`, { cause: error });
  }
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      model: { type: 'string' },
      data: { type: 'string' },
      'threshold-data': { type: 'string' },
      acceptance: { type: 'string' },
      'benchmark-data': { type: 'string' },
      ood: { type: 'string', multiple: true },
      'ood-near': { type: 'string' },
      'trade-offs': { type: 'string' },
      json: { type: 'boolean' },
      backend: { type: 'string' },
    },
    HELP,
  );
  if (!values.model || !values.data) throw new RadLocalError('CLI_USAGE', `Expected --model DIR and --data TRAIN_DIR.\n\n${HELP}`);
  const acceptance = numberOption('--acceptance', values.acceptance, DEFAULT_OOD_ACCEPTANCE, 0.5);
  if (acceptance >= 1) throw new RadLocalError('CLI_USAGE', `Expected --acceptance below 1, but got ${acceptance}.`);
  await selectBackend(choiceOption<BackendChoice>('--backend', values.backend, BACKEND_CHOICES, 'auto'));
  const info = (m: string) => process.stderr.write(`${m}\n`);

  // The card as stored, migrated to this version except for what only a refit can supply.
  const cardPath = join(values.model, MODEL_CARD_FILE);
  const stored = migrateModelCard(JSON.parse(await readFile(cardPath, 'utf8'))) as ModelCard;
  const files = new Map<string, Uint8Array>();
  for (const entry of stored.files) files.set(entry.path, new Uint8Array(await readFile(join(values.model, entry.path))));
  await verifyModelFiles(stored, files);
  const model = await buildLayersModel(files, stored.architecture.modelFile);
  try {
    const ds = openDataset(values.data, { labels: stored.labels, seed: stored.training.seed });
    const fitPaths = ds.splits.train.map((r) => r.path);
    const thresholdPaths = values['threshold-data'] ? await filesOf(values['threshold-data'], stored.labels, stored.training.seed) : ds.splits.val.map((r) => r.path);
    const thresholdedOn = values['threshold-data'] ? `${thresholdPaths.length} held-out images (${values['threshold-data'].split('/').pop()})` : `validation split (${thresholdPaths.length} images)`;
    info(`OOD statistics: fitting on ${fitPaths.length} training-split images, threshold on ${thresholdedOn}`);
    const fit = await summaries(model, stored, fitPaths);
    const held = await summaries(model, stored, thresholdPaths);
    const ood = fitOodSection({
      layers: defaultOodLayers(model),
      fit: fit.features,
      fittedOn: `training split (${fitPaths.length} images)`,
      threshold: held.features,
      thresholdedOn,
      acceptance,
      headers: fit.headers,
    });
    const note = `OOD statistics refitted by radlocal refit-card (weights, calibration and thresholds unchanged): ${ood.layers.length} tapped-layer summaries fitted on the ${ood.fittedOn}, threshold at acceptance ${acceptance} on ${ood.thresholdedOn}; the per-split oodRate figures were measured when the model was trained, with the detector fitted then.`;
    // Checked with the rest of the card by parseModelCard below (MODEL_CARD_INVALID naming the field).
    const tradeOffs = values['trade-offs'] === undefined ? undefined : await readJson(values['trade-offs']);
    const { files: _files, ...draft } = stored;
    const refitted: ModelCard = parseModelCard({
      ...draft,
      schemaVersion: MODEL_CARD_SCHEMA_VERSION,
      ood,
      limitations: [...stored.limitations.filter((l) => !l.startsWith('OOD statistics refitted by radlocal refit-card')), note],
      ...(tradeOffs === undefined ? {} : { tradeOffs }),
      files: stored.files,
    });
    await writeFile(cardPath, cardBytes(refitted));
    info(`wrote ${cardPath} (threshold ${ood.threshold.toFixed(3)})`);

    let benchmark: ModelCard['metrics']['ood'];
    if (values['benchmark-data']) {
      const loaded = await loadModelFolder(values.model);
      try {
        benchmark = await runOodBenchmark(loaded, {
          inDistribution: { source: values['benchmark-data'].split('/').pop() ?? 'held-out', files: await filesOf(values['benchmark-data'], stored.labels, stored.training.seed) },
          folders: values.ood ?? [],
          near: integerOption('--ood-near', values['ood-near'], 100, 0),
          onProgress: info,
        });
      } finally {
        loaded.dispose();
      }
      await writeFile(cardPath, cardBytes(parseModelCard({ ...refitted, metrics: { ...refitted.metrics, ood: benchmark } })));
      info(`recorded the OOD benchmark in ${cardPath}`);
    }
    // Proof: the refitted card loads through the viewer's loader (schema, hashes).
    (await loadModelFolder(values.model)).dispose();
    if (values.json) process.stdout.write(`${JSON.stringify({ ood: { ...ood, layers: ood.layers.map((l) => ({ layer: l.layer, summary: l.summary, level: l.level, size: l.size, shrinkage: l.shrinkage, reference: l.reference })) }, benchmark })}\n`);
    return 0;
  } finally {
    model.dispose();
  }
}
