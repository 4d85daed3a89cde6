/**
 * The PACS view (shown only when RadLocal's server has a PACS): search by patient name / ID,
 * study dates and modality, results a page at a time, a row opens its study in the viewer, and
 * "Triage these results" opens every study the search matches.
 *
 * Test ids: pacs-panel, pacs-search (button), pacs-study-row (data-study-uid), pacs-next,
 * pacs-previous, pacs-triage, pacs-triage-status (data-studies, data-done, data-stopped), pacs-error (data-code).
 */
import { useState } from 'react';
import './pacs.css';
import { useStore } from '../../shared/store/create-store.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import type { StudyQuery } from './pacs-client.ts';
import { openStudyFromRow, search, triageQuery, type OpenSources } from './pacs-actions.ts';
import { PAGE_SIZE, pacsStore } from './pacs-store.ts';

const MODALITIES = ['', 'CR', 'DX', 'CT', 'MR', 'US', 'MG', 'NM', 'PT', 'OT'];

/**
 * @param openStudy opens a study's images and shows it (a row was clicked)
 * @param openForTriage opens images for the worklist only ("Triage these results")
 */
export function PacsPanel({ openStudy, openForTriage }: { openStudy: OpenSources; openForTriage: OpenSources }) {
  const state = useStore(pacsStore, (s) => s);
  const [form, setForm] = useState<StudyQuery>(state.query);
  if (!state.status.configured) return null;
  const busy = state.busy !== 'idle';
  const field = (key: keyof StudyQuery) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [key]: key.startsWith('date') ? event.target.value.replace(/-/g, '') : event.target.value }));
  const asDateInput = (d: string): string => (d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : '');

  return (
    <section className="pacs-panel" data-testid="pacs-panel" aria-label="PACS">
      <h2 className="panel-title">PACS</h2>
      <form
        className="pacs-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search(form, 0);
        }}
      >
        <input aria-label="Patient name" placeholder="Patient name" value={form.patientName} onChange={field('patientName')} data-testid="pacs-patient-name" />
        <input aria-label="Patient ID" placeholder="Patient ID" value={form.patientID} onChange={field('patientID')} data-testid="pacs-patient-id" />
        <div className="pacs-dates">
          <input type="date" aria-label="Study date from" value={asDateInput(form.dateFrom)} onChange={field('dateFrom')} />
          <input type="date" aria-label="Study date to" value={asDateInput(form.dateTo)} onChange={field('dateTo')} />
        </div>
        <select aria-label="Modality" value={form.modality} onChange={field('modality')} data-testid="pacs-modality">
          {MODALITIES.map((m) => (
            <option key={m} value={m}>
              {m || 'Any modality'}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-primary" data-testid="pacs-search" disabled={busy}>
          Search PACS
        </button>
      </form>

      {state.error && (
        <p className="pacs-error" role="alert" data-testid="pacs-error" data-code={state.error.code}>
          {state.error.message}
        </p>
      )}

      <ul className="pacs-results" aria-label="PACS studies">
        {state.rows.map((row) => (
          <li key={row.studyInstanceUID}>
            <button type="button" className="pacs-study-row" data-testid="pacs-study-row" data-study-uid={row.studyInstanceUID} disabled={busy} onClick={() => void openStudyFromRow(row.studyInstanceUID, openStudy)}>
              <span className="pacs-patient">{row.patientName.replace(/\^/g, ' ') || '(no name)'}</span>
              <span className="pacs-meta">
                {row.patientID} · {formatDicomDate(row.studyDate)} · {row.modalities || '—'} · {row.instances} image(s)
              </span>
              {row.description && <span className="pacs-meta">{row.description}</span>}
            </button>
          </li>
        ))}
      </ul>

      {(state.rows.length > 0 || state.offset > 0) && (
        <div className="pacs-paging">
          <button type="button" className="button" data-testid="pacs-previous" disabled={busy || state.offset === 0} onClick={() => void search(state.query, Math.max(0, state.offset - PAGE_SIZE))}>
            Previous
          </button>
          <span>
            {state.offset + 1}–{state.offset + state.rows.length}
          </span>
          <button type="button" className="button" data-testid="pacs-next" disabled={busy || !state.more} onClick={() => void search(state.query, state.offset + PAGE_SIZE)}>
            Next
          </button>
        </div>
      )}

      {state.rows.length > 0 && (
        <button type="button" className="button" data-testid="pacs-triage" disabled={busy} onClick={() => void triageQuery(openForTriage)}>
          Triage these results
        </button>
      )}
      {state.triage && (
        <p className="pacs-meta" data-testid="pacs-triage-status" data-studies={state.triage.studies} data-done={String(state.triage.done)} data-stopped={String(state.triage.stopped === true)}>
          {state.triage.stopped ? 'Stopped after' : state.triage.done ? 'Opened' : 'Opening'} {state.triage.studies} studies ({state.triage.images} images) for triage{state.triage.done || state.triage.stopped ? '.' : '…'}
        </p>
      )}
    </section>
  );
}
