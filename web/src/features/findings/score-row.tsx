import type { ModelCard } from '../../../../core/model/model-card.ts';
import { formatPercent, labelTitle } from '../../shared/format/score.ts';

interface ScoreRowProps {
  label: string;
  score: number;
  card: ModelCard;
  positive: boolean;
  greyed: boolean;
  heatmapShown: boolean;
  onShowHeatmap: () => void;
  /** With a site profile: the threshold on the site's scale, whether the site switched the finding off, and whether the threshold is the card's boundary (site threshold refused). */
  site?: { threshold: number; disabled: boolean; cardBoundary: boolean };
}

/** One finding: calibrated score, threshold, verdict, and the card's sensitivity/specificity there. */
export function ScoreRow({ label, score, card, positive, greyed, heatmapShown, onShowHeatmap, site }: ScoreRowProps) {
  const t = card.thresholds[label];
  const threshold = site ? site.threshold : (t?.threshold ?? 1);
  return (
    <li className={`score-row${greyed ? ' greyed' : ''}${positive ? ' positive' : ''}`}>
      <div className="score-line">
        <button type="button" className={`score-label${heatmapShown ? ' shown' : ''}`} onClick={onShowHeatmap} title="Show this finding's heatmap">
          {labelTitle(label)}
        </button>
        <span className={`verdict ${positive ? 'verdict-positive' : 'verdict-negative'}`}>{site?.disabled ? 'Off at this site' : positive ? 'Positive' : 'Negative'}</span>
        <span className="score-value" data-testid={`score-${label}`} data-score={String(score)}>
          {formatPercent(score)}
        </span>
      </div>
      <div className="score-bar" aria-hidden>
        <span className="score-fill" style={{ width: `${Math.min(100, score * 100)}%` }} />
        <span className="score-threshold" style={{ left: `${Math.min(100, threshold * 100)}%` }} />
      </div>
      <div className="score-meta muted small">
        threshold {formatPercent(threshold)}
        {site
          ? site.disabled
            ? ' · switched off by the site’s safety floor'
            : site.cardBoundary
              ? ' · the card’s boundary (too few site cases for a site threshold)'
              : ' · site threshold'
          : t
            ? ` · sensitivity ${formatPercent(t.sensitivity)} · specificity ${formatPercent(t.specificity)}`
            : ''}
      </div>
    </li>
  );
}
