/**
 * The second opinion for the image on screen: model, out-of-distribution verdict, one row
 * per finding, timings and export. Scores are greyed out when the image is out of
 * distribution; a model that fails its integrity check shows its typed error and no score.
 */
import type { ModelCard } from '../../../../core/model/model-card.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { setViewportUi, viewportUiStore } from '../../shared/viewport/viewport-store.ts';
import { modelStore } from '../../shared/findings/model-store.ts';
import { OodStatus } from './ood-status.tsx';
import { ScoreRow } from './score-row.tsx';
import { TimingsList } from './timings-list.tsx';
import { topLabel } from './top-label.ts';
import { useCurrentFinding } from './use-current-finding.ts';
import type { ReactNode } from 'react';
import { HeatmapKind } from './heatmap-kind.tsx';

interface FindingsPanelProps {
  file: OpenedFile | undefined;
  frame: number;
  /** Export controls for the shown study (rendered under the scores). */
  actions?: ReactNode;
}

function TypedError({ code, message, testId }: { code: string; message: string; testId: string }) {
  return (
    <div className="typed-error" role="alert" data-testid={testId} data-code={code}>
      <Icon name="warning" size={16} />
      <div>
        <code className="error-code">{code}</code>
        <div>{message}</div>
      </div>
    </div>
  );
}

export function FindingsPanel({ file, frame, actions }: FindingsPanelProps) {
  const model = useStore(modelStore, (m) => m);
  const entry = useCurrentFinding(file, frame);
  const chosenLabel = useStore(viewportUiStore, (s) => s.heatmapLabel);
  const card: ModelCard | undefined = model.state === 'ready' ? model.card : undefined;

  if (model.state === 'error') return <TypedError testId="model-error" code={model.error.code} message={model.error.message} />;
  if (!file) return <p className="muted panel-pad">Open a study to get a second opinion.</p>;
  if (file.status !== 'ready') return <p className="muted panel-pad">Reading the file…</p>;
  if (!card || !entry || entry.status === 'queued' || entry.status === 'running') {
    return (
      <p className="muted panel-pad" data-testid="findings-pending">
        {model.state === 'loading' ? 'Loading and verifying the model…' : 'Computing the second opinion…'}
      </p>
    );
  }
  if (entry.status === 'error' || !entry.prediction) {
    return <TypedError testId="prediction-error" code={entry.error?.code ?? 'INTERNAL'} message={entry.error?.message ?? 'Unknown error'} />;
  }
  const p = entry.prediction;
  const flagged = p.ood.flagged;
  const shownLabel = chosenLabel && p.labels.includes(chosenLabel) ? chosenLabel : topLabel(p);
  return (
    <div className="findings" data-testid="findings">
      <div className="second-opinion-note">
        <Icon name="chip" size={16} />
        <span>
          Machine second opinion from <strong>{card.name}</strong> {card.version} — for review by a radiologist, not a diagnosis.
        </span>
      </div>
      <OodStatus ood={p.ood} />
      <ul className={`scores${flagged ? ' scores-greyed' : ''}`} aria-label="Findings (second opinion)">
        {p.labels.map((label) => (
          <ScoreRow
            key={label}
            label={label}
            score={p.scores[label] ?? 0}
            card={card}
            positive={p.positives.includes(label)}
            greyed={flagged}
            heatmapShown={label === shownLabel}
            onShowHeatmap={() => setViewportUi({ heatmapLabel: label, heatmapVisible: true })}
            {...(p.site ? { site: { threshold: p.thresholds[label] ?? 1, disabled: p.site.disabled.includes(label), cardBoundary: p.site.cardBoundary.includes(label) } } : {})}
          />
        ))}
      </ul>
      {p.site ? (
        <p className="small panel-pad site-stamp" data-testid="site-calibration" data-site={p.site.site} data-n={p.site.n}>
          Calibrated for {p.site.site}, n = {p.site.n} (site profile of {p.site.createdAt.slice(0, 10)}).
        </p>
      ) : null}
      <p className="muted small panel-pad">Scores are calibrated probabilities (second opinion). Positive at or above the threshold.</p>
      <HeatmapKind kind={card.architecture.graph?.cam.kind ?? 'class-activation'} />
      <TimingsList
        backend={model.state === 'ready' ? model.backend : undefined}
        timings={{ decodeMs: file.decodeMs, preprocessMs: p.timings.preprocessMs, inferenceMs: p.timings.inferenceMs, heatmapMs: p.timings.postprocessMs }}
      />
      {actions}
    </div>
  );
}
