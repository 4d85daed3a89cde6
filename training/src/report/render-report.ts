/**
 * Renders the evaluation report as ONE self-contained HTML file: styles, Chart.js, the chart
 * script, the data and the images (PNG data URLs) are all inline, and a Content-Security-Policy
 * forbids the page from loading or sending anything. Tables are rendered here; the charts
 * (ROC per label, reliability before/after calibration, loss and AUC per epoch) are drawn
 * by report-client.js with Chart.js when the page opens.
 */
import { readFileSync } from 'node:fs';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { chartJsSource } from './chart-js-source.ts';
import type { OodBenchmark } from '../../../core/model/ood-schema.ts';
import type { ReportExample, ReportInput } from './report-data.ts';

/** The page may run its inline scripts and show data: images, and nothing else. */
export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const PALETTE = ['#58a6ff', '#f0883e', '#3fb950', '#db61a2', '#a371f7', '#f85149', '#39c5cf', '#e3b341'];

function readAsset(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON safe inside a <script> element: no "</script", no "<!--", no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A number with `digits` decimals, or an em dash when undefined (NaN). */
function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function percent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

function kpi(label: string, value: string, note: string): string {
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="note">${escapeHtml(note)}</div></div>`;
}

function labelTable(input: ReportInput): string {
  const rows = input.model.labels.map((label, i) => {
    const s = input.summary.perLabel[label];
    if (!s) return '';
    const colour = PALETTE[i % PALETTE.length] as string;
    return `<tr><td><span class="swatch" style="background:${colour}"></span>${escapeHtml(label)}</td>
<td>${s.positives} / ${s.negatives}</td><td>${num(s.auc)}</td><td>${num(s.aucCi95[0])} – ${num(s.aucCi95[1])}</td>
<td>${num(s.threshold)}</td><td>${percent(s.sensitivity)}</td><td>${percent(s.specificity)}</td></tr>`;
  });
  return `<table><thead><tr><th>Finding</th><th>Pos / neg</th><th>ROC AUC</th><th>95% CI (bootstrap)</th><th>Threshold</th>
<th>Sensitivity</th><th>Specificity</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function confusionCell(count: number, total: number, rgb: string): string {
  const share = total === 0 ? 0 : count / total;
  const alpha = (0.12 + 0.6 * share).toFixed(2);
  return `<td class="cell" style="background:rgba(${rgb},${alpha})">${count}<small>${percent(share, 0)}</small></td>`;
}

function confusionMatrices(input: ReportInput): string {
  return input.model.labels
    .map((label) => {
      const s = input.summary.perLabel[label];
      if (!s) return '';
      const { tp, fp, tn, fn } = s.confusion;
      const total = tp + fp + tn + fn;
      return `<div class="cm"><h3>${escapeHtml(label)} <span class="sub">at ${num(s.threshold)}</span></h3>
<table><thead><tr><th></th><th class="axis">Predicted +</th><th class="axis">Predicted −</th></tr></thead><tbody>
<tr><th class="axis">Actual +</th>${confusionCell(tp, total, '63,185,80')}${confusionCell(fn, total, '248,81,73')}</tr>
<tr><th class="axis">Actual −</th>${confusionCell(fp, total, '240,136,62')}${confusionCell(tn, total, '88,166,255')}</tr>
</tbody></table></div>`;
    })
    .join('');
}

function exampleRow(example: ReportExample, labels: string[]): string {
  const tags = (label: string): string =>
    (example.truth[label] === 1 ? '<span class="tag truth">truth</span>' : '') + (example.positives.includes(label) ? '<span class="tag pos">flagged</span>' : '');
  const figures = labels
    .filter((label) => example.overlays[label] !== undefined)
    .map(
      (label) =>
        `<figure><img alt="${escapeHtml(`Activation map for ${label}`)}" src="${example.overlays[label]}"><figcaption>${escapeHtml(label)} <b>${percent(example.scores[label])}</b>${tags(label)}</figcaption></figure>`,
    );
  const scoresOnly = figures.length === 0 ? labels.map((l) => `${escapeHtml(l)} <b>${percent(example.scores[l])}</b>${tags(l)}`).join('<br>') : '';
  return `<div class="example"><figure><img alt="Model input" src="${example.image}"><figcaption><b>${escapeHtml(example.name)}</b>${
    example.oodFlagged ? '<span class="tag ood">OOD</span>' : ''
  }<br>${scoresOnly}</figcaption></figure>${figures.join('')}</div>`;
}

/** Most points drawn per ROC curve; larger curves are thinned evenly (first and last point kept). */
export const MAX_ROC_POINTS = 1000;

/** Keeps at most `max` evenly spaced points of a curve, always the first and the last. */
export function thinCurve<T extends { fpr: number[]; tpr: number[] }>(curve: T, max = MAX_ROC_POINTS): { fpr: number[]; tpr: number[] } {
  const n = curve.fpr.length;
  if (n <= max) return { fpr: curve.fpr, tpr: curve.tpr };
  const keep = Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
  return { fpr: keep.map((i) => curve.fpr[i] as number), tpr: keep.map((i) => curve.tpr[i] as number) };
}

export interface RenderAssets {
  chartJs: string;
  clientScript: string;
  css: string;
}

function defaultAssets(): RenderAssets {
  return { chartJs: chartJsSource(), clientScript: readAsset('report-client.js'), css: readAsset('report-style.css') };
}

/** The OOD benchmark table: per category AUROC and FPR at 95 % TPR with CIs, share flagged. */
function oodSection(b: OodBenchmark): string {
  const ci = (c: [number, number]) => `${num(c[0])} – ${num(c[1])}`;
  const rows = Object.entries(b.categories)
    .map(([name, c]) => `<tr><td>${escapeHtml(name)}</td><td>${c.n}</td><td>${num(c.auroc)}</td><td>${ci(c.aurocCi95)}</td><td>${num(c.fprAt95Tpr)}</td><td>${ci(c.fprAt95TprCi95)}</td><td>${percent(c.flagged)}</td></tr>`)
    .join('');
  return `<section><h2>Out-of-distribution benchmark</h2><p class="sub">The card's OOD detector (pixels only, no DICOM header check) on ${b.inDistribution.n} in-distribution images (${escapeHtml(b.inDistribution.source)}; ${percent(b.inDistribution.flagged)} of them flagged) against each category. AUROC: chance that a category image scores above an in-distribution one. FPR at 95 % TPR: share of the category still accepted where 95 % of the in-distribution images are. Flagged: share above the card's threshold. 95 % CIs from ${b.bootstrapResamples} bootstrap resamples.</p>
<table><thead><tr><th>Category</th><th>n</th><th>AUROC</th><th>95% CI</th><th>FPR at 95% TPR</th><th>95% CI</th><th>Flagged</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** @returns the complete HTML document (UTF-8 text). */
export function renderReportHtml(input: ReportInput, assets: RenderAssets = defaultAssets()): string {
  for (const example of input.examples) {
    for (const url of [example.image, ...Object.values(example.overlays)]) {
      if (!url.startsWith('data:image/png;base64,')) throw new RadLocalError('INTERNAL', `Expected report images as PNG data URLs, but got "${url.slice(0, 30)}…".`);
    }
  }
  const { summary, model } = input;
  const roc = Object.fromEntries(Object.entries(input.curves.roc).map(([label, curve]) => [label, thinCurve(curve)]));
  const clientData = { model, summary, curves: { ...input.curves, roc }, history: input.history };
  const labels = model.labels;
  const rocCanvases = labels
    .map((label, i) => {
      const s = summary.perLabel[label];
      return `<div class="chart"><canvas id="roc-${i}" role="img" aria-label="${escapeHtml(`ROC curve of ${label}: AUC ${num(s?.auc)}`)}"></canvas></div>`;
    })
    .join('');
  const training =
    input.history.length > 0
      ? `<section><h2>Training</h2><div class="grid cols-2"><div class="chart"><canvas id="loss" role="img" aria-label="Training and validation loss per epoch"></canvas></div><div class="chart"><canvas id="auc" role="img" aria-label="Validation macro-AUC per epoch"></canvas></div></div></section>`
      : `<section><h2>Training</h2><p class="sub">The model folder has no training history (imported model).</p></section>`;
  const examples =
    input.examples.length > 0
      ? `<section><h2>Examples and activation maps</h2><p class="sub">Model input with the class activation map of each finding (brighter = more evidence; maps of findings below their threshold are faded). “truth” marks the reference label, “flagged” a score at or above the threshold. Shown: the best-scored true positive, the worst-scored miss and the highest-scored false alarm of each finding.</p><div class="examples">${input.examples
          .map((e) => exampleRow(e, labels))
          .join('')}</div></section>`
      : '';
  const ood = input.oodBenchmark ? oodSection(input.oodBenchmark) : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)}</title>
<style>${assets.css}</style>
</head>
<body>
<header>
<div><h1>${escapeHtml(input.title)}</h1>
<div class="sub">${escapeHtml(input.dataDescription)} · ${summary.n} images · generated ${escapeHtml(input.generatedAt)}</div></div>
<div class="sub" style="text-align:right">Model <b>${escapeHtml(model.name)}</b> ${escapeHtml(model.version)}<br><span class="mono">sha256 ${escapeHtml(model.sha256.slice(0, 16))}…</span></div>
</header>
${model.syntheticTrainingData ? `<div class="banner">${escapeHtml(model.limitations[0] ?? 'Synthetic training data.')}</div>` : ''}
<div class="kpis">
${kpi('Macro ROC AUC', num(summary.macroAuc), `95% CI ${num(summary.macroAucCi95[0])} – ${num(summary.macroAucCi95[1])} · ${labels.length} finding${labels.length === 1 ? '' : 's'}`)}
${kpi('Calibration error (ECE)', num(summary.ece), `before temperature scaling ${num(summary.eceBeforeCalibration)}`)}
${kpi('Out of distribution', percent(summary.oodRate), 'of images flagged')}
${kpi('Images', String(summary.n), input.dataDescription)}
</div>
<section><h2>Per finding</h2>${labelTable(input)}</section>
<section><h2>ROC curves</h2><div class="grid cols-3">${rocCanvases}</div></section>
<section><h2>Calibration</h2><div class="grid cols-2"><div class="chart"><canvas id="reliability" role="img" aria-label="${escapeHtml(`Reliability diagram: ECE ${num(summary.eceBeforeCalibration)} before and ${num(summary.ece)} after calibration`)}"></canvas></div>
<div><p class="sub">Each point is one of 15 equal-width probability bins: its mean predicted probability against the fraction of
positives observed in it. Points on the dashed diagonal are perfectly calibrated. Temperature scaling (one temperature per finding,
fitted on ${escapeHtml(model.calibrationFittedOn)}) moves the orange curve to the blue one without changing any ROC curve.</p>
<table><thead><tr><th>Finding</th><th>Temperature</th><th>ECE before</th><th>ECE after</th></tr></thead><tbody>${labels
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l)}</td><td>${num(model.temperatures[l], 2)}</td><td>${num(summary.perLabel[l]?.eceBeforeCalibration)}</td><td>${num(summary.perLabel[l]?.ece)}</td></tr>`,
    )
    .join('')}</tbody></table></div></div></section>
<section><h2>Confusion matrices at the operating thresholds</h2><div class="confusion">${confusionMatrices(input)}</div></section>
${ood}
${training}
${examples}
<footer><b>Intended use.</b> ${escapeHtml(model.intendedUse)}
<ul>${model.limitations.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<p>Generated locally by RadLocal. This file is self-contained: it loads nothing and sends nothing.</p></footer>
<script type="application/json" id="report-data">${scriptJson(clientData)}</script>
<script>${assets.chartJs}</script>
<script>${assets.clientScript}</script>
</body>
</html>
`;
}
