/**
 * The worklist: one row per open study, filled in the background as images are analysed,
 * sortable by column, with a progress bar. Clicking a row opens the study.
 */
import { useMemo, useState } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { findingsStore } from '../findings/findings-store.ts';
import { formatPercent, labelTitle } from '../findings/format-score.ts';
import { groupStudies } from '../../shared/session/group-studies.ts';
import { select, sessionStore } from '../studies/session-store.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import { sortRows, worklistRows, type SortKey } from './worklist-rows.ts';

const COLUMNS: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'patient', label: 'Patient' },
  { key: 'study', label: 'Study' },
  { key: 'date', label: 'Date' },
  { key: 'topScore', label: 'Top finding' },
  { key: 'ood', label: 'OOD' },
  { key: 'status', label: 'Status' },
];

export function WorklistTable() {
  const files = useStore(sessionStore, (s) => s.files);
  const selectedSeries = useStore(sessionStore, (s) => s.selection?.seriesKey);
  const findings = useStore(findingsStore, (m) => m);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'topScore', descending: true });
  const patients = useMemo(() => groupStudies(files), [files]);
  const rows = useMemo(() => sortRows(worklistRows(patients, findings), sort.key, sort.descending), [patients, findings, sort]);
  const readable = files.filter((f) => f.status !== 'error').length;
  const analysed = rows.reduce((n, r) => n + r.analysed, 0);
  const decoding = files.filter((f) => f.status === 'decoding').length;
  if (rows.length === 0) return null;
  const total = Math.max(1, readable);
  return (
    <section className="worklist" aria-label="Worklist" data-testid="worklist">
      <div className="worklist-head">
        <h2 className="panel-title">Worklist · {rows.length} stud{rows.length === 1 ? 'y' : 'ies'}</h2>
        <progress className="worklist-progress" max={total} value={analysed} data-testid="worklist-progress" />
        <span className="muted small" data-testid="worklist-progress-text">
          {analysed}/{readable} analysed{decoding > 0 ? ` · ${decoding} reading` : ''}
        </span>
      </div>
      <div className="worklist-scroll">
        <table className="worklist-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button
                    type="button"
                    onClick={() => setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.key === 'topScore' }))}
                    data-testid={`sort-${c.key}`}
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.studyKey}
                className={r.firstSeriesKey === selectedSeries ? 'selected' : ''}
                onClick={() => select({ seriesKey: r.firstSeriesKey, index: 0 })}
                data-testid="worklist-row"
                data-status={r.status}
              >
                <td>
                  {r.patient}
                  {r.patientId && <span className="muted"> · {r.patientId}</span>}
                </td>
                <td>{r.study}</td>
                <td>{formatDicomDate(r.date)}</td>
                <td className={r.ood ? 'greyed-cell' : ''}>
                  {r.topLabel !== undefined && r.topScore !== undefined ? (
                    <>
                      {labelTitle(r.topLabel)} <span className="mono">{formatPercent(r.topScore)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{r.ood === undefined ? '—' : r.ood ? <span className="flag-ood">OOD</span> : <span className="muted">ok</span>}</td>
                <td>
                  <span className={`status status-${r.status}`}>{r.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
