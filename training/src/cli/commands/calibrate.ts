/**
 * `radlocal calibrate --model models/NAME --data DIR --out site.json [--json]`: validates a
 * model on a site's labelled images and recalibrates it there without optimism (core/site:
 * patient halves, calibration and thresholds fitted on one, figures measured on the other,
 * guards), then writes the site profile that `predict --site` / `evaluate --site` and the
 * viewer apply. The viewer's "Validate at this site" view computes the same numbers.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { recalibrateSite } from '../../../../core/site/recalibrate-site.ts';
import type { SiteMetricsJson, SiteProfile } from '../../../../core/site/site-profile.ts';
import { validateSite, type SiteValidation } from '../../../../core/site/validate-site.ts';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backend/select-backend.ts';
import { loadModelFolder } from '../../export/model-folder.ts';
import { collectSiteCases } from '../../site/collect-site-cases.ts';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from '../cli-options.ts';

export const HELP = `Usage: radlocal calibrate --model models/NAME --data DIR --out site.json [options]

Validates a model on your site's labelled images and recalibrates it for your site, without
optimism: the patients are split in two halves; the calibration (Platt scaling or a
temperature) and the thresholds for the target sensitivity are fitted on one half and every
figure is measured on the other. Writes a site profile bound to this exact model (its card's
SHA-256) for radlocal predict --site, radlocal evaluate --site and the viewer. Nothing leaves
this machine.

Guards: a note below --min-cases positives or negatives of a finding; a site threshold whose
sensitivity is known only to more than ± --max-half-width (Wilson 95 % CI) is refused — the
card's decision boundary is kept and the profile says how many labelled images are needed; a
finding whose AUC lower 95 % bound is below --safety-floor is switched off at the site.

Options:
  --model DIR               model folder with model-card.json (required)
  --data DIR                the site's labelled images (any layout radlocal train reads) (required)
  --out FILE                site profile to write (required)
  --site NAME               the site's name as the viewer shows it (default: the folder name)
  --method M                platt (also absorbs a prevalence shift) or temperature (default platt)
  --target-sensitivity S    sensitivity the site thresholds aim for (default 0.9)
  --safety-floor A          switch off a finding whose AUC lower bound is below A (default 0.75)
  --max-half-width W        refuse a site threshold with a wider sensitivity CI (default 0.10)
  --min-cases N             warn below N positives or negatives of a finding (default 100)
  --seed N                  seed of the patient split and the bootstraps (default 0)
  --bootstrap N             bootstrap resamples of the AUC intervals (default 1000)
  --batch-size N            images per inference batch (default 32)
  --skip-bad                leave unreadable images out instead of failing
  --backend B               auto|tensorflow|wasm|cpu (default auto)
  --json                    print {validation, profile} as one JSON object
  --help                    this text`;

function fmt(x: number | null, digits = 3): string {
  return x === null || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function pct(x: number | null): string {
  return x === null || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

function ci(interval: readonly (number | null)[]): string {
  return `${fmt(interval[0] ?? null)}–${fmt(interval[1] ?? null)}`;
}

/** The terminal table: validation on all images, then before/after on the evaluation half. */
export function calibrationReport(validation: SiteValidation, profile: SiteProfile, out: string): string {
  const table = (header: string[], rows: string[][]): string[] => {
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
    const line = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
    return [line(header), ...rows.map(line)];
  };
  const validationRows = (perLabel: SiteValidation['perLabel']): string[][] =>
    profile.labels.map((label) => {
      const m = perLabel[label]!;
      return [label, `${m.positives}/${m.negatives}`, fmt(m.auc), ci(m.aucCi95), pct(m.sensitivity), ci(m.sensitivityCi95), pct(m.specificity), ci(m.specificityCi95), fmt(m.ece), fmt(m.brier), fmt(m.calibrationSlope, 2), fmt(m.calibrationIntercept, 2)];
    });
  const validationHeader = ['finding', 'pos/neg', 'AUC', '95% CI', 'sens', '95% CI', 'spec', '95% CI', 'ECE', 'Brier', 'slope', 'icpt'];
  const side = (m: SiteMetricsJson): string[] => [fmt(m.threshold), pct(m.sensitivity), pct(m.specificity), fmt(m.ece)];
  const recalibrationRows = profile.labels.map((label) => {
    const f = profile.findings[label]!;
    return [label, ...side(f.before), ...side(f.after), f.thresholdSource, f.enabled ? 'on' : 'OFF'];
  });
  return [
    `Model ${profile.model.name} ${profile.model.version} (sha256 ${profile.model.sha256.slice(0, 12)}…) at ${profile.site}: ${validation.images} images of ${validation.patients} patients, ${validation.oodFlagged} flagged out of distribution (left out).`,
    '',
    'Validation with the card (all in-distribution images, card threshold):',
    ...table(validationHeader, validationRows(validation.perLabel)),
    ...(validation.flaggedPerLabel
      ? ['', `Reported apart — the ${validation.oodFlagged} images the out-of-distribution check flags (the viewer greys their scores):`, ...table(validationHeader, validationRows(validation.flaggedPerLabel))]
      : []),
    '',
    `Recalibration (${profile.settings.method}; fitted on ${profile.data.fit.images} images of ${profile.data.fit.patients} patients, measured on the other ${profile.data.evaluate.images} images of ${profile.data.evaluate.patients} patients):`,
    ...table(['finding', 'thr', 'sens', 'spec', 'ECE', '→ thr', 'sens', 'spec', 'ECE', 'threshold', 'state'], recalibrationRows),
    ...(profile.warnings.length > 0 ? ['', ...profile.warnings.map((w) => `! ${w}`)] : []),
    '',
    `Site profile written to ${out}.`,
  ].join('\n');
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      model: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      site: { type: 'string' },
      method: { type: 'string' },
      'target-sensitivity': { type: 'string' },
      'safety-floor': { type: 'string' },
      'max-half-width': { type: 'string' },
      'min-cases': { type: 'string' },
      seed: { type: 'string' },
      bootstrap: { type: 'string' },
      'batch-size': { type: 'string' },
      'skip-bad': { type: 'boolean' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (!values.model || !values.data || !values.out) throw new RadLocalError('CLI_USAGE', `Expected --model DIR, --data DIR and --out FILE.\n\n${HELP}`);
  const fraction = (name: string, value: string | undefined, fallback: number): number => {
    const x = numberOption(name, value, fallback, 0);
    if (x > 1) throw new RadLocalError('CLI_USAGE', `Expected ${name} to be between 0 and 1, but got "${value}".`);
    return x;
  };
  const seed = integerOption('--seed', values.seed, 0, 0);
  const bootstrapIterations = integerOption('--bootstrap', values.bootstrap, 1000);
  const settings = {
    site: values.site ?? basename(resolve(values.data)),
    createdAt: new Date().toISOString(),
    method: choiceOption('--method', values.method, ['platt', 'temperature'] as const, 'platt'),
    targetSensitivity: fraction('--target-sensitivity', values['target-sensitivity'], 0.9),
    safetyFloor: fraction('--safety-floor', values['safety-floor'], 0.75),
    maxSensitivityHalfWidth: fraction('--max-half-width', values['max-half-width'], 0.1),
    minClassCount: integerOption('--min-cases', values['min-cases'], 100, 0),
    seed,
    bootstrapIterations,
  };
  const backend = await selectBackend(choiceOption<BackendChoice>('--backend', values.backend, BACKEND_CHOICES, 'auto'));
  process.stderr.write(`radlocal calibrate: backend ${backend.backend} — ${backend.reason}\n`);
  const loaded = await loadModelFolder(values.model);
  try {
    const { cases, skipped } = await collectSiteCases(loaded, values.data, {
      batchSize: integerOption('--batch-size', values['batch-size'], 32),
      skipBad: values['skip-bad'] === true,
      ...(process.stderr.isTTY ? { onProgress: (done: number, total: number) => process.stderr.write(`\rradlocal calibrate: ${done}/${total} images`) } : {}),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (skipped > 0) process.stderr.write(`radlocal calibrate: ${skipped} unreadable image(s) left out\n`);
    const validation = validateSite(loaded.card, cases, { bootstrapIterations, seed });
    const profile = recalibrateSite(loaded.card, loaded.modelSha256, cases, settings);
    await writeFile(values.out, `${JSON.stringify(profile, null, 2)}\n`);
    process.stdout.write(`${values.json ? JSON.stringify({ out: resolve(values.out), validation, profile }) : calibrationReport(validation, profile, values.out)}\n`);
  } finally {
    loaded.dispose();
  }
  return 0;
}
