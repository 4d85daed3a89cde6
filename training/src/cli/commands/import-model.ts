/**
 * `radlocal import-model --from DIR --labels a,b,c --out models/NAME --data VALDIR [--input-size N|HxW] [graph-model options]`
 *
 * Wraps a TensorFlow.js layers or graph model trained elsewhere (Keras with tf.distribute on a
 * cluster, or PyTorch via ONNX, converted with tensorflowjs_converter) into a RadLocal model folder with a model
 * card: validated input and outputs, hashed files, temperatures, operating thresholds and
 * OOD statistics fitted on the labelled images of VALDIR, metrics on a held-out part.
 * See docs/import-model.md.
 */
import { readFile } from 'node:fs/promises';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { INTENSITY_PRESETS } from '../../../../core/preprocess/input-adapter.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';

type IntensityPreset = keyof typeof INTENSITY_PRESETS;
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backend/select-backend.ts';
import { importExternalModel } from '../../import/import-external-model.ts';
import type { OutputKind } from '../../import/inspect-external-model.ts';
import { choiceOption, numberOption, parseCommandArgs } from '../cli-options.ts';
import { fixed, percent } from '../format-metric.ts';

export const HELP = `Usage: radlocal import-model --from DIR --labels a,b,c --out models/NAME --data VALDIR [options]

Wraps an externally trained TensorFlow.js model into a RadLocal model folder the
viewer and radlocal predict/evaluate accept: a layers model (Keras →
tensorflowjs_converter; [N, H, W, 1], global average pooling → dense) or a graph
model (SavedModel, e.g. PyTorch → ONNX → TensorFlow → tensorflowjs_converter
--input_format=tf_saved_model; [N, H, W, C] or [N, C, H, W], C = 1 or 3, sigmoid
or logit outputs). See docs/import-model.md.

Options:
  --from DIR              folder with model.json and its weight shards (required)
  --labels a,b,c          label names of the outputs, in output order (required);
                          or NAME=COLUMN,… to import a subset, renamed (COLUMN: an
                          --output-labels name or #index); other outputs are ignored
  --output-labels A,B,…   the model's own names of its output columns, in order
  --out DIR               model folder to write, e.g. models/my-model (required)
  --data DIR              labelled images (any layout radlocal train reads) for
                          calibration, thresholds, OOD statistics and metrics (required)
  --input-size N|HxW      input size, required when the model accepts any size
  --outputs K             auto|logits|probabilities: declare the output kind (default auto)
  --preprocessing FILE    JSON with preprocessing overrides (mean, std, voi, fit, adapter, …)
  --intensity=I           grey [0, 1] → model input: 0,1 | -1,1 | -1024,1024 | 0,255 | imagenet
                          (with '=': a value starting with '-' is not an option)
  --fit F                 letterbox | center-crop (how the image fills the input)
Graph models:
  --input-node NAME       image input, when the signature has none or several
  --output-node NAME      findings output, when the signature has none or several
  --layout L              nhwc | nchw, when the input shape does not tell
  --feature-node NAME     4-D activation for OOD and heatmaps (default: found)
  --heatmap H             auto | none (default auto: what the head allows)
  --target-sensitivity S  operating point per label (default 0.9)
  --holdout F             fraction of patients held out for the card's metrics (default 0.5)
  --name NAME             model name in the card (default: the --out folder's name)
  --intended-use TEXT     intended use statement for the card
  --training-source TEXT  what the model was trained on, for the card
  --seed N                seed of the patient split (default 0)
  --batch-size N          images per inference batch (default 32)
  --skip-bad              leave unreadable images out instead of failing
  --backend B             auto|tensorflow|wasm|cpu (default auto)
  --json                  print the result as one JSON object
  --help                  this text`;

function parseSize(value: string): { height: number; width: number } {
  const match = /^(\d+)(?:x(\d+))?$/i.exec(value.trim());
  const height = Number(match?.[1]);
  const width = Number(match?.[2] ?? match?.[1]);
  if (!match || !(height >= 8) || !(width >= 8)) throw new RadLocalError('CLI_USAGE', `Expected --input-size as N or HxW (at least 8), but got "${value}".`);
  return { height, width };
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      from: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
      'input-size': { type: 'string' },
      outputs: { type: 'string' },
      preprocessing: { type: 'string' },
      'output-labels': { type: 'string' },
      intensity: { type: 'string' },
      fit: { type: 'string' },
      'input-node': { type: 'string' },
      'output-node': { type: 'string' },
      layout: { type: 'string' },
      'feature-node': { type: 'string' },
      heatmap: { type: 'string' },
      'target-sensitivity': { type: 'string' },
      holdout: { type: 'string' },
      name: { type: 'string' },
      'intended-use': { type: 'string' },
      'training-source': { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      'skip-bad': { type: 'boolean' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (!values.from || !values.labels || !values.out || !values.data) {
    throw new RadLocalError('CLI_USAGE', `Expected --from, --labels, --out and --data.\n\n${HELP}`);
  }
  const labels = values.labels.split(',').map((l) => l.trim()).filter((l) => l.length > 0);
  const outputs = choiceOption<OutputKind | 'auto'>('--outputs', values.outputs, ['auto', 'logits', 'probabilities'], 'auto');
  const backendChoice = choiceOption<BackendChoice>('--backend', values.backend, BACKEND_CHOICES, 'auto');
  let preprocessing: Partial<PreprocessParams> | undefined;
  if (values.preprocessing) {
    try {
      preprocessing = JSON.parse(await readFile(values.preprocessing, 'utf8')) as Partial<PreprocessParams>;
    } catch (error) {
      throw new RadLocalError('PREPROCESS_INVALID_PARAMS', `Expected --preprocessing to name a JSON file, but ${values.preprocessing} could not be read as JSON (${(error as Error).message}).`);
    }
  }
  const intensityName = choiceOption<IntensityPreset | 'none'>('--intensity', values.intensity, [...(Object.keys(INTENSITY_PRESETS) as IntensityPreset[]), 'none'], 'none');
  const fit = choiceOption<'letterbox' | 'center-crop' | 'none'>('--fit', values.fit, ['letterbox', 'center-crop', 'none'], 'none');
  if (fit !== 'none') preprocessing = { ...preprocessing, fit };
  const layout = choiceOption<'nhwc' | 'nchw' | 'auto'>('--layout', values.layout, ['nhwc', 'nchw', 'auto'], 'auto');
  const heatmap = choiceOption<'auto' | 'none'>('--heatmap', values.heatmap, ['auto', 'none'], 'auto');
  const graph = {
    ...(values['output-labels'] ? { outputLabels: values['output-labels'].split(',').map((l) => l.trim()) } : {}),
    ...(values['input-node'] ? { inputNode: values['input-node'] } : {}),
    ...(values['output-node'] ? { outputNode: values['output-node'] } : {}),
    ...(values['feature-node'] ? { featureNode: values['feature-node'] } : {}),
    ...(layout !== 'auto' ? { layout } : {}),
    ...(intensityName !== 'none' ? { intensity: INTENSITY_PRESETS[intensityName] } : {}),
    heatmap,
  };
  const backend = await selectBackend(backendChoice);
  const info = (m: string): void => void process.stderr.write(`radlocal import-model: ${m}\n`);
  info(`backend ${backend.backend} — ${backend.reason}`);
  const result = await importExternalModel({
    from: values.from,
    labels,
    out: values.out,
    data: values.data,
    ...(values.name ? { name: values.name } : {}),
    ...(values['input-size'] ? { inputSize: parseSize(values['input-size']) } : {}),
    ...(preprocessing ? { preprocessing } : {}),
    outputs,
    graph,
    targetSensitivity: numberOption('--target-sensitivity', values['target-sensitivity'], 0.9),
    holdout: numberOption('--holdout', values.holdout, 0.5),
    seed: numberOption('--seed', values.seed, 0),
    batchSize: numberOption('--batch-size', values['batch-size'], 32),
    skipBad: values['skip-bad'] === true,
    ...(values['intended-use'] ? { intendedUse: values['intended-use'] } : {}),
    ...(values['training-source'] ? { trainingSource: values['training-source'] } : {}),
    command: `radlocal import-model ${args.join(' ')}`,
    backend: backend.backend,
    onInfo: info,
  });
  const { card } = result;
  const test = card.metrics.test;
  // Layers: what the head gave and whether its sigmoid was switched off; graph: the same read from the output node.
  const graphKind = result.graph?.output.kind;
  const kind = result.layout?.outputs ?? (graphKind === 'logits' ? 'logits' : 'probabilities');
  const sigmoidBypassed = result.layout?.sigmoidInHead ?? graphKind === 'sigmoid';
  const adapter = card.preprocessing.adapter;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        out: values.out,
        name: card.name,
        modelSha256: result.modelSha256,
        labels: card.labels,
        input: card.input,
        format: result.format,
        outputs: kind,
        sigmoidRemoved: sigmoidBypassed,
        adapter: card.preprocessing.adapter ?? null,
        heatmap: card.architecture.graph?.cam.kind ?? 'class-activation',
        ignoredOutputs: result.ignoredOutputs,
        featureLayer: card.architecture.featureLayer,
        logitsLayer: card.architecture.logitsLayer,
        temperatures: card.calibration.temperatures,
        thresholds: card.thresholds,
        oodThreshold: card.ood.threshold,
        calibrationImages: result.calibrationImages,
        holdoutImages: result.holdoutImages,
        test,
      })}\n`,
    );
  } else {
    const lines = card.labels.map((l) => {
      const m = test.perLabel[l]!;
      return `  ${l}: T ${card.calibration.temperatures[l]!.toFixed(2)}, threshold ${card.thresholds[l]!.threshold.toFixed(3)}, AUC ${fixed(m.auc, 3)} [${fixed(m.aucCi95?.[0] ?? null, 3)}, ${fixed(m.aucCi95?.[1] ?? null, 3)}], sens ${percent(m.sensitivity)}, spec ${percent(m.specificity)}`;
    });
    process.stdout.write(
      [
        `Imported ${card.name} (${result.format}) into ${values.out} (model sha256 ${result.modelSha256.slice(0, 12)}…): input ${card.input.height}×${card.input.width}×${card.input.channels}${adapter ? ` ${adapter.layout.toUpperCase()}` : ''}, outputs ${kind}${sigmoidBypassed ? ' (logits read below the sigmoid)' : ''}, heatmap ${card.architecture.graph?.cam.kind ?? 'class-activation'}.`,
        ...(result.ignoredOutputs.length > 0 ? [`Outputs not imported: ${result.ignoredOutputs.join(', ')}.`] : []),
        `Calibrated on ${result.calibrationImages} images; metrics on ${test.split}:`,
        ...lines,
        `  macro-AUC ${fixed(test.macroAuc, 3)} · ECE ${test.ece.toFixed(3)} (before ${test.eceBeforeCalibration.toFixed(3)}) · OOD ${(test.oodRate * 100).toFixed(1)}%`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}
