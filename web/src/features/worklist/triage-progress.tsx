/** Triage progress: bar, count, rate, time left, and cancel / resume (the queue's, passed in by app/). */
import { useEffect, useState } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { triageStore } from '../../shared/findings/triage-store.ts';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export interface TriageControls {
  onCancel: () => void;
  onResume: () => void;
  /** More images are still being opened for triage (e.g. a PACS query, study by study): cancel stays offered. */
  opening?: boolean;
}

export function TriageProgress({ analysed, readable, decoding, onCancel, onResume, opening = false }: { analysed: number; readable: number; decoding: number } & TriageControls) {
  const triage = useStore(triageStore, (s) => s);
  const [now, setNow] = useState(() => performance.now());
  const jobs = triage.queued + triage.running > 0;
  const busy = jobs || opening;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [busy]);
  const elapsed = triage.startedAt === undefined ? 0 : (now - triage.startedAt) / 1000;
  const rate = elapsed > 0.5 && triage.finished > 0 ? triage.finished / elapsed : undefined;
  const left = triage.queued + triage.running;
  return (
    <div className="triage-progress">
      <progress className="worklist-progress" max={Math.max(1, readable)} value={analysed} data-testid="worklist-progress" />
      <span className="muted small" data-testid="worklist-progress-text">
        {analysed}/{readable} analysed{decoding > 0 ? ` · ${decoding} reading` : ''}
      </span>
      {jobs && rate !== undefined && (
        <span className="muted small" data-testid="worklist-eta">
          {rate.toFixed(1)}/s · {formatDuration(left / rate)} left
        </span>
      )}
      {busy ? (
        <button type="button" className="button button-small" onClick={onCancel} data-testid="triage-cancel">
          Cancel
        </button>
      ) : (
        triage.cancelled &&
        analysed < readable && (
          <button type="button" className="button button-small" onClick={onResume} data-testid="triage-resume">
            Resume
          </button>
        )
      )}
    </div>
  );
}
