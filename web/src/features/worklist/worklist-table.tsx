/**
 * The worklist: one row per open study, filled in the background as images are triaged.
 * Rows are windowed (only the visible ones are in the DOM), sortable by column, filterable
 * by positive finding; a progress bar with rate, ETA and cancel; J / K (or the buttons)
 * open the next / previous case in the order shown. Clicking a row opens the study.
 */
import { useEffect, useMemo } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import { VirtualList } from '../../shared/ui/virtual-list.tsx';
import { findingsStore } from '../../shared/findings/findings-store.ts';
import { formatPercent, labelTitle } from '../../shared/format/score.ts';
import { modelStore } from '../../shared/findings/model-store.ts';
import { groupStudies } from '../../shared/session/group-studies.ts';
import { select, sessionStore } from '../../shared/session/session-store.ts';
import { filterRows, sortRows, worklistRows, type SortKey, type WorklistRow } from './worklist-rows.ts';
import { setShownRows, worklistStore } from './worklist-store.ts';
import { TriageProgress, type TriageControls } from './triage-progress.tsx';

const COLUMNS: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'patient', label: 'Patient' },
  { key: 'study', label: 'Study' },
  { key: 'date', label: 'Date' },
  { key: 'topScore', label: 'Top finding' },
  { key: 'ood', label: 'OOD' },
  { key: 'status', label: 'Status' },
];

const ROW_HEIGHT = 26;
const rowHeight = (): number => ROW_HEIGHT;
const rowKey = (r: WorklistRow): string => r.studyKey;

function Row({ row, selected }: { row: WorklistRow; selected: boolean }) {
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`worklist-row${selected ? ' selected' : ''}`}
      onClick={() => select({ seriesKey: row.firstSeriesKey, index: 0 })}
      data-testid="worklist-row"
      data-status={row.status}
      data-selected={selected}
      data-top-score={row.topScore}
      data-ood={row.ood}
      data-date={row.date}
      data-positives={row.positiveLabels.join(' ')}
    >
      <span role="cell">
        {row.patient}
        {row.patientId && <span className="muted"> · {row.patientId}</span>}
      </span>
      <span role="cell">{row.study}</span>
      <span role="cell">{formatDicomDate(row.date)}</span>
      <span role="cell" className={row.ood ? 'greyed-cell' : ''}>
        {row.topLabel !== undefined && row.topScore !== undefined ? (
          <>
            {labelTitle(row.topLabel)} <span className="mono">{formatPercent(row.topScore)}</span>
            {row.positiveLabels.length > 0 && <span className="positive-dot" title={`Positive: ${row.positiveLabels.map(labelTitle).join(', ')}`} />}
          </>
        ) : (
          '—'
        )}
      </span>
      <span role="cell">{row.ood === undefined ? '—' : row.ood ? <span className="flag-ood" title={row.oodReasons.join('\n')} aria-label={`Out of distribution: ${row.oodReasons.join(' ')}`}>OOD</span> : <span className="muted">ok</span>}</span>
      <span role="cell">
        <span className={`status status-${row.status}`}>{row.status}</span>
      </span>
    </div>
  );
}

export function WorklistTable({ triage }: { triage: TriageControls }) {
  const files = useStore(sessionStore, (s) => s.files);
  const selectedSeries = useStore(sessionStore, (s) => s.selection?.seriesKey);
  const findings = useStore(findingsStore, (m) => m);
  const sort = useStore(worklistStore, (s) => s.sort);
  const filter = useStore(worklistStore, (s) => s.filter);
  const model = useStore(modelStore, (m) => m);
  const labels = model.state === 'ready' ? model.card.labels : [];
  const patients = useMemo(() => groupStudies(files), [files]);
  const all = useMemo(() => worklistRows(patients, findings), [patients, findings]);
  const rows = useMemo(() => sortRows(filterRows(all, filter), sort.key, sort.descending), [all, filter, sort]);
  useEffect(() => setShownRows(rows), [rows]);
  const selectedIndex = useMemo(() => rows.findIndex((r) => r.seriesKeys.includes(selectedSeries ?? '')), [rows, selectedSeries]);
  const counts = useMemo(() => {
    let readable = 0;
    let decoding = 0;
    for (const f of files) {
      if (f.status !== 'error') readable++;
      if (f.status === 'decoding') decoding++;
    }
    return { readable, decoding, analysed: all.reduce((n, r) => n + r.analysed, 0) };
  }, [files, all]);
  if (all.length === 0) return null;
  const setSort = (key: SortKey): void =>
    worklistStore.set((s) => ({ ...s, sort: { key, descending: s.sort.key === key ? !s.sort.descending : key === 'topScore' || key === 'ood' } }));
  return (
    <section className="worklist" aria-label="Worklist" data-testid="worklist">
      <div className="worklist-head">
        <h2 className="panel-title">
          Worklist · {rows.length === all.length ? '' : `${rows.length} of `}
          {all.length} stud{all.length === 1 ? 'y' : 'ies'}
        </h2>
        <label className="select-label">
          <span className="visually-hidden">Show</span>
          <select
            className="select"
            data-testid="worklist-filter"
            value={filter.kind === 'all' ? 'all' : (filter.label ?? 'positive')}
            onChange={(e) => {
              const v = e.target.value;
              worklistStore.set((s) => ({ ...s, filter: v === 'all' ? { kind: 'all' } : v === 'positive' ? { kind: 'positive' } : { kind: 'positive', label: v } }));
            }}
          >
            <option value="all">All studies</option>
            <option value="positive">Any positive finding</option>
            {labels.map((l) => (
              <option key={l} value={l}>
                Positive: {labelTitle(l)}
              </option>
            ))}
          </select>
        </label>
        <TriageProgress analysed={counts.analysed} readable={counts.readable} decoding={counts.decoding} {...triage} />
      </div>
      <div className="worklist-grid worklist-header" role="row">
        {COLUMNS.map((c) => (
          <span key={c.key} role="columnheader" aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" onClick={() => setSort(c.key)} data-testid={`sort-${c.key}`}>
              {c.label}
              {sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
            </button>
          </span>
        ))}
      </div>
      <VirtualList
        items={rows}
        rowHeight={rowHeight}
        keyOf={rowKey}
        scrollToIndex={selectedIndex}
        renderRow={(row) => <Row row={row} selected={row.seriesKeys.includes(selectedSeries ?? '')} />}
        className="worklist-scroll worklist-grid-rows"
        testId="worklist-rows"
        role="rowgroup"
        ariaLabel="Studies"
      />
    </section>
  );
}
