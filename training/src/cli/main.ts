/**
 * `radlocal` command dispatcher. Each command lives in its own module under ./commands and is
 * loaded lazily, so `radlocal inspect` never pays for TensorFlow.js start-up.
 */
import { RadLocalError, toSerializedError } from '../../../core/errors/radlocal-error.ts';

export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
  /** The command's help text: printed here for `--help` / `-h` anywhere in its arguments. */
  HELP: string;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

const COMMANDS: Record<string, CommandEntry> = {
  inspect: { summary: 'decode DICOM/PNG/JPEG files and report size, encoding and pixel statistics', load: () => import('./commands/inspect.ts') },
  train: { summary: 'train, calibrate and export a classifier with its model card', load: () => import('./commands/train.ts') },
  predict: { summary: 'score images with an exported model (calibrated scores, positives, OOD)', load: () => import('./commands/predict.ts') },
  evaluate: { summary: 'measure a model on labelled images: AUC with CI, sensitivity/specificity, calibration, OOD; HTML report', load: () => import('./commands/evaluate.ts') },
  calibrate: { summary: 'validate and recalibrate a model on your site\'s labelled images; writes a site profile', load: () => import('./commands/calibrate.ts') },
  synth: { summary: 'write a phantom chest-radiograph dataset (DICOM + labels.csv) for training and demos', load: () => import('./commands/synth.ts') },
  'refit-card': { summary: 'refit a model card\'s out-of-distribution statistics (no retraining); optionally record the OOD benchmark', load: () => import('./commands/refit-card.ts') },
  'import-model': { summary: 'wrap an externally trained TF.js layers model: validate, hash, calibrate, write its model card', load: () => import('./commands/import-model.ts') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'radlocal — local-only medical imaging classifier: data, training, evaluation, export.',
    '',
    'Usage: radlocal <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `radlocal <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`radlocal: unknown command "${name}".\n\n${usage()}\n`);
    return 2;
  }
  try {
    const module = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${module.HELP.trimEnd()}\n`);
      return 0;
    }
    return await module.run(rest);
  } catch (error) {
    const e = toSerializedError(error);
    process.stderr.write(`radlocal ${name}: [${e.code}] ${e.message}\n`);
    return error instanceof RadLocalError && error.code === 'CLI_USAGE' ? 2 : 1;
  }
}
