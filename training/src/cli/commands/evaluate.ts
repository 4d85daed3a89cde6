/**
 * `radlocal evaluate --model models/NAME --data DIR [--json] [--report FILE.html] [--split auto|test|all] [--site site.json]`
 *
 * Scores a dataset split with an exported model through core/model (the viewer's pipeline)
 * and prints {n, perLabel: {label: {auc, aucCi95, sensitivity, specificity, threshold, …}},
 * macroAuc, ece, eceBeforeCalibration, oodRate, …} — with --json as one JSON object, else as
 * a table. --report writes a self-contained HTML report.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { LoadedModel } from '../../../../core/model/load-model.ts';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backend/select-backend.ts';
import { evaluateModel, type EvaluationSplit, type ModelEvaluation } from '../../eval/evaluate-model.ts';
import { loadModelFolder } from '../../export/model-folder.ts';
import { siteStamp, type SiteStamp } from '../../../../core/site/apply-site-profile.ts';
import { chooseEvaluationSplit } from '../../eval/evaluation-split.ts';
import { readSiteProfile } from '../../site/read-site-profile.ts';
import { choiceOption, integerOption, parseCommandArgs } from '../cli-options.ts';
import { renderReportHtml } from '../../report/render-report.ts';
import type { ReportInput } from '../../report/report-data.ts';
import { reportExamples } from '../../report/report-examples.ts';
import type { OodBenchmark } from '../../../../core/model/ood-schema.ts';
import { runOodBenchmark } from '../../eval/ood-benchmark.ts';

export const HELP = `Usage: radlocal evaluate --model models/NAME --data DIR [--json] [--report FILE.html] [--split auto|test|all] [--site site.json]

Evaluates an exported model on labelled images: per finding ROC AUC with a bootstrap 95%
confidence interval, sensitivity, specificity and confusion matrix at the card's operating
threshold; macro-AUC; expected calibration error before and after temperature scaling; and
the share of images the out-of-distribution check flags.

Options:
  --model DIR        model folder with model-card.json (required)
  --data DIR         labelled dataset folder (any layout radlocal train reads) (required)
  --split S          auto: every image of DIR, unless DIR is the model's own training data
                     (its fingerprint is in the card), then only the held-out test split
                     radlocal train made of it; test / all force one (default auto).
                     Which one was scored, and why, is always printed
  --site FILE        score with a site profile's calibration and thresholds (radlocal
                     calibrate); a profile for another model is refused
  --ood DIR          OOD benchmark: a folder of out-of-distribution images (one category,
                     named after the folder; repeat for more) scored against the evaluated
                     images: AUROC and FPR at 95% TPR with bootstrap CIs, share flagged
  --ood-near N       OOD benchmark: near-OOD variants (rotated, upside down, inverted,
                     cropped, wrong window, lateral-like) of the first N evaluated images
  --json             print one JSON object instead of a table
  --report FILE      also write a self-contained HTML report (charts, activation maps)
  --examples N       images with activation maps in the report (default 6)
  --bootstrap N      bootstrap resamples for the AUC intervals (default 1000)
  --seed N           split seed (default: the card's training seed) and bootstrap seed
  --batch-size N     images per inference batch (default 32)
  --skip-bad         leave unreadable images out instead of failing
  --backend B        auto|tensorflow|wasm|cpu (default auto)
  --help             this text`;

/** What the output says besides the figures: which split and why, and the site profile used. */
export interface EvaluationContext {
  splitReason?: string;
  site?: SiteStamp;
  /** The OOD benchmark, when --ood / --ood-near asked for it. */
  ood?: OodBenchmark;
}

/** The --json object: the contract fields first (ARCHITECTURE.md, CLI JSON), then extras. */
export function evaluationJson(loaded: LoadedModel, evaluation: ModelEvaluation, dataDir: string, backend: string, context: EvaluationContext = {}): Record<string, unknown> {
  const { summary } = evaluation;
  return {
    n: summary.n,
    perLabel: summary.perLabel,
    macroAuc: summary.macroAuc,
    ece: summary.ece,
    oodRate: summary.oodRate,
    macroAucCi95: summary.macroAucCi95,
    eceBeforeCalibration: summary.eceBeforeCalibration,
    split: evaluation.split,
    ...(context.splitReason === undefined ? {} : { splitReason: context.splitReason }),
    ...(context.site === undefined ? {} : { site: context.site }),
    ...(context.ood === undefined ? {} : { oodBenchmark: context.ood }),
    skipped: evaluation.skipped,
    data: resolve(dataDir),
    model: loaded.card.name,
    modelSha256: loaded.modelSha256,
    backend,
  };
}

function fixed(x: number, digits = 3): string {
  return Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function pct(x: number): string {
  return Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

export function evaluationTable(loaded: LoadedModel, evaluation: ModelEvaluation, dataDir: string, context: EvaluationContext = {}): string {
  const { summary } = evaluation;
  const header = ['finding', 'pos/neg', 'AUC', '95% CI', 'threshold', 'sens', 'spec', 'TP', 'FP', 'TN', 'FN'];
  const rows = loaded.card.labels.map((label) => {
    const s = summary.perLabel[label]!;
    const c = s.confusion;
    return [label, `${s.positives}/${s.negatives}`, fixed(s.auc), `${fixed(s.aucCi95[0])}–${fixed(s.aucCi95[1])}`, fixed(s.threshold), pct(s.sensitivity), pct(s.specificity), String(c.tp), String(c.fp), String(c.tn), String(c.fn)];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const line = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return [
    `Model ${loaded.card.name} (sha256 ${loaded.modelSha256.slice(0, 12)}…) on ${dataDir} (${evaluation.split === 'all' ? 'all images' : 'test split'}): ${summary.n} images${evaluation.skipped ? `, ${evaluation.skipped} unreadable skipped` : ''}`,
    ...(context.splitReason === undefined ? [] : [`Scored: ${context.splitReason}.`]),
    ...(context.site === undefined ? [] : [`Calibrated for ${context.site.site}, n = ${context.site.n} (site profile)${context.site.disabled.length > 0 ? `; switched off there: ${context.site.disabled.join(', ')}` : ''}.`]),
    '',
    line(header),
    ...rows.map(line),
    '',
    `macro-AUC ${fixed(summary.macroAuc)} (95% CI ${fixed(summary.macroAucCi95[0])}–${fixed(summary.macroAucCi95[1])}) · ECE ${fixed(summary.ece)} (before calibration ${fixed(summary.eceBeforeCalibration)}) · out of distribution ${pct(summary.oodRate)}`,
    ...(context.ood === undefined ? [] : ['', ...oodBenchmarkLines(context.ood)]),
  ].join('\n');
}

/** The OOD benchmark as table lines. */
export function oodBenchmarkLines(b: OodBenchmark): string[] {
  const rows = Object.entries(b.categories).map(([name, c]) => [
    name,
    String(c.n),
    `${fixed(c.auroc)} (${fixed(c.aurocCi95[0])}–${fixed(c.aurocCi95[1])})`,
    `${fixed(c.fprAt95Tpr)} (${fixed(c.fprAt95TprCi95[0])}–${fixed(c.fprAt95TprCi95[1])})`,
    pct(c.flagged),
  ]);
  const header = ['OOD category', 'n', 'AUROC (95% CI)', 'FPR@95%TPR (95% CI)', 'flagged'];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const line = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return [
    `OOD benchmark against ${b.inDistribution.n} in-distribution images (${b.inDistribution.source}; ${pct(b.inDistribution.flagged)} of them flagged), pixels only, ${b.bootstrapResamples} bootstrap resamples:`,
    line(header),
    ...rows.map(line),
  ];
}

export function reportInput(loaded: LoadedModel, evaluation: ModelEvaluation, dataDir: string): ReportInput {
  const { card } = loaded;
  return {
    title: `RadLocal evaluation — ${card.name}`,
    generatedAt: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    dataDescription: `${basename(resolve(dataDir))} (${evaluation.split === 'all' ? 'all images' : 'test split'})`,
    model: {
      name: card.name,
      version: card.version,
      sha256: loaded.modelSha256,
      createdAt: card.createdAt,
      labels: [...card.labels],
      temperatures: card.calibration.temperatures,
      calibrationFittedOn: card.calibration.fittedOn,
      intendedUse: card.intendedUse,
      limitations: card.limitations,
      syntheticTrainingData: card.trainingData.synthetic,
      bestEpoch: card.training.bestEpoch > 0 ? card.training.bestEpoch : undefined,
    },
    summary: evaluation.summary,
    curves: evaluation.curves,
    history: card.training.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss, valAuc: h.valAuc })),
    examples: reportExamples(evaluation.examples),
  };
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      model: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      split: { type: 'string' },
      site: { type: 'string' },
      examples: { type: 'string' },
      bootstrap: { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      'skip-bad': { type: 'boolean' },
      ood: { type: 'string', multiple: true },
      'ood-near': { type: 'string' },
      backend: { type: 'string' },
    },
    HELP,
  );
  if (!values.model || !values.data) throw new RadLocalError('CLI_USAGE', `Expected --model DIR and --data DIR.\n\n${HELP}`);
  const requested = choiceOption<'auto' | EvaluationSplit>('--split', values.split, ['auto', 'test', 'all'], 'auto');
  const backendChoice = choiceOption<BackendChoice>('--backend', values.backend, BACKEND_CHOICES, 'auto');
  const seed = values.seed === undefined ? undefined : integerOption('--seed', values.seed, 0, 0);
  const options = {
    ...(seed === undefined ? {} : { seed }),
    bootstrapIterations: integerOption('--bootstrap', values.bootstrap, 1000),
    batchSize: integerOption('--batch-size', values['batch-size'], 32),
    examples: values.report ? integerOption('--examples', values.examples, 6, 0) : 0,
    skipBad: values['skip-bad'] === true,
  };

  const backend = await selectBackend(backendChoice);
  process.stderr.write(`radlocal evaluate: backend ${backend.backend} — ${backend.reason}\n`);
  const loaded = await loadModelFolder(values.model);
  try {
    const site = values.site === undefined ? undefined : await readSiteProfile(values.site, loaded);
    const decision = chooseEvaluationSplit(loaded.card, values.data, { requested, skipBad: options.skipBad });
    process.stderr.write(`radlocal evaluate: scoring ${decision.reason}\n`);
    const context: EvaluationContext = { splitReason: decision.reason, ...(site ? { site: siteStamp(site) } : {}) };
    const evaluation = await evaluateModel(loaded, values.data, {
      ...options,
      split: decision.split,
      ...(site ? { site } : {}),
      // A live counter on a terminal; logs and pipes get no progress noise.
      ...(process.stderr.isTTY ? { onProgress: (done: number, total: number) => process.stderr.write(`\rradlocal evaluate: ${done}/${total} images`) } : {}),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const near = values['ood-near'] === undefined ? 0 : integerOption('--ood-near', values['ood-near'], 100, 1);
    if ((values.ood?.length ?? 0) > 0 || near > 0) {
      context.ood = await runOodBenchmark(loaded, {
        inDistribution: { source: `${basename(resolve(values.data))} (${decision.split === 'all' ? 'all images' : 'test split'})`, files: evaluation.files },
        folders: values.ood ?? [],
        near,
        resamples: options.bootstrapIterations,
        onProgress: (m) => process.stderr.write(`radlocal evaluate: OOD benchmark — ${m}\n`),
      });
    }
    if (values.report) {
      await writeFile(values.report, renderReportHtml({ ...reportInput(loaded, evaluation, values.data), ...(context.ood ? { oodBenchmark: context.ood } : {}) }));
      process.stderr.write(`radlocal evaluate: report written to ${values.report}\n`);
    }
    process.stdout.write(`${values.json ? JSON.stringify(evaluationJson(loaded, evaluation, values.data, backend.backend, context)) : evaluationTable(loaded, evaluation, values.data, context)}\n`);
  } finally {
    loaded.dispose();
  }
  return 0;
}
