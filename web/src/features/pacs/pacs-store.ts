/** The PACS view's state, in memory only: the query, the page of results shown, progress. */
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { createStore } from '../../shared/store/create-store.ts';
import { PACS_AT_BUILD } from './pacs-build-flag.ts';
import type { PacsStatus, StudyQuery, StudyRow } from './pacs-client.ts';

export const PAGE_SIZE = 25;

export interface PacsState {
  status: PacsStatus;
  query: StudyQuery;
  offset: number;
  rows: StudyRow[];
  /** true when the PACS may have more results after this page. */
  more: boolean;
  busy: 'idle' | 'searching' | 'opening' | 'triaging';
  /** Triage of a whole query: studies queued so far, whether every page was read, or whether it was stopped first. */
  triage: { studies: number; images: number; done: boolean; stopped?: boolean } | undefined;
  error: SerializedError | undefined;
}

export const EMPTY_QUERY: StudyQuery = { patientName: '', patientID: '', dateFrom: '', dateTo: '', modality: '' };

export const pacsStore = createStore<PacsState>({
  status: PACS_AT_BUILD,
  query: EMPTY_QUERY,
  offset: 0,
  rows: [],
  more: false,
  busy: 'idle',
  triage: undefined,
  error: undefined,
});

export function patchPacs(patch: Partial<PacsState>): void {
  pacsStore.set((s) => ({ ...s, ...patch }));
}

/** Clear session: results and query go, the server's status stays. */
export function clearPacs(): void {
  pacsStore.set((s) => ({ ...s, query: EMPTY_QUERY, offset: 0, rows: [], more: false, busy: 'idle', triage: undefined, error: undefined }));
}
