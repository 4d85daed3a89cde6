import type { ModelCard } from '../../../../core/model/model-card.ts';
import { formatPercent, labelTitle } from './format-score.ts';

interface ScoreRowProps {
  label: string;
  score: number;
  card: ModelCard;
  positive: boolean;
  greyed: boolean;
  heatmapShown: boolean;
  onShowHeatmap: () => void;
}

/** One finding: calibrated score, threshold, verdict, and the card's sensitivity/specificity there. */
export function ScoreRow({ label, score, card, positive, greyed, heatmapShown, onShowHeatmap }: ScoreRowProps) {
  const t = card.thresholds[label];
  const threshold = t?.threshold ?? 1;
  return (
    <li className={`score-row${greyed ? ' greyed' : ''}${positive ? ' positive' : ''}`}>
      <div className="score-line">
        <button type="button" className={`score-label${heatmapShown ? ' shown' : ''}`} onClick={onShowHeatmap} title="Show this finding's heatmap">
          {labelTitle(label)}
        </button>
        <span className={`verdict ${positive ? 'verdict-positive' : 'verdict-negative'}`}>{positive ? 'Positive' : 'Negative'}</span>
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
        {t ? ` · sensitivity ${formatPercent(t.sensitivity)} · specificity ${formatPercent(t.specificity)}` : ''}
      </div>
    </li>
  );
}
