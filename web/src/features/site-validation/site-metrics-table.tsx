import type { LabelSiteMetrics } from '../../../../core/site/site-metrics.ts';
import type { SiteMetricsJson, SiteProfile } from '../../../../core/site/site-profile.ts';

type Metrics = LabelSiteMetrics | SiteMetricsJson;

function num(x: number | null, digits = 3): string {
  return x === null || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function pct(x: number | null): string {
  return x === null || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

function ci(interval: readonly (number | null)[], format: (x: number | null) => string = num): string {
  return `${format(interval[0] ?? null)}–${format(interval[1] ?? null)}`;
}

/** Full-precision figures as data attributes (tests compare them with the CLI's JSON). */
function dataOf(m: Metrics): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['auc', 'sensitivity', 'specificity', 'ece', 'brier', 'calibrationSlope', 'calibrationIntercept', 'prevalence', 'threshold'] as const) {
    out[`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = String(m[key] ?? 'null');
  }
  out['data-auc-ci'] = m.aucCi95.join(',');
  out['data-sensitivity-ci'] = m.sensitivityCi95.join(',');
  out['data-specificity-ci'] = m.specificityCi95.join(',');
  return out;
}

/** Per finding: AUC with bootstrap CI, sensitivity/specificity with Wilson CIs at the threshold, calibration. */
export function SiteMetricsTable({ labels, perLabel, testId }: { labels: readonly string[]; perLabel: Readonly<Record<string, Metrics>>; testId: string }) {
  return (
    <table className="site-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Finding</th>
          <th>pos / neg</th>
          <th>AUC (95% CI)</th>
          <th>Threshold</th>
          <th>Sensitivity (95% CI)</th>
          <th>Specificity (95% CI)</th>
          <th>ECE</th>
          <th>Brier</th>
          <th>Slope / intercept</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((label) => {
          const m = perLabel[label];
          if (!m) return null;
          return (
            <tr key={label} data-testid={`${testId}-${label}`} {...dataOf(m)}>
              <td>{label}</td>
              <td>
                {m.positives} / {m.negatives}
              </td>
              <td>
                {num(m.auc)} <span className="muted">({ci(m.aucCi95)})</span>
              </td>
              <td>{num(m.threshold)}</td>
              <td>
                {pct(m.sensitivity)} <span className="muted">({ci(m.sensitivityCi95, pct)})</span>
              </td>
              <td>
                {pct(m.specificity)} <span className="muted">({ci(m.specificityCi95, pct)})</span>
              </td>
              <td>{num(m.ece)}</td>
              <td>{num(m.brier)}</td>
              <td>
                {num(m.calibrationSlope, 2)} / {num(m.calibrationIntercept, 2)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Before (card) → after (site) on the evaluation half, with the guards' verdicts. */
export function RecalibrationTable({ profile }: { profile: SiteProfile }) {
  return (
    <table className="site-table" data-testid="site-recalibration">
      <thead>
        <tr>
          <th>Finding</th>
          <th>Card: threshold · sens · spec · ECE</th>
          <th>Site: threshold · sens · spec · ECE</th>
          <th>Threshold from</th>
          <th>At this site</th>
        </tr>
      </thead>
      <tbody>
        {profile.labels.map((label) => {
          const f = profile.findings[label];
          if (!f) return null;
          const side = (m: SiteMetricsJson): string => `${num(m.threshold)} · ${pct(m.sensitivity)} · ${pct(m.specificity)} · ${num(m.ece)}`;
          return (
            <tr key={label} data-testid={`site-recalibration-${label}`} data-enabled={String(f.enabled)} data-threshold-source={f.thresholdSource} data-ece-before={String(f.before.ece)} data-ece-after={String(f.after.ece)}>
              <td>{label}</td>
              <td>{side(f.before)}</td>
              <td>{side(f.after)}</td>
              <td>{f.thresholdSource === 'site' ? 'site' : 'card (refused)'}</td>
              <td className={f.enabled ? '' : 'site-off'}>{f.enabled ? 'on' : 'switched off'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
