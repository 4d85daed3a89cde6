/**
 * The worklist's reading order: sort and filter (kept while the list fills), and the rows
 * in the order shown, so next / previous case (keyboard) follows what the reader sees.
 */
import { createStore } from '../../shared/store/create-store.ts';
import type { RowFilter, SortKey, WorklistRow } from './worklist-rows.ts';

export interface WorklistState {
  sort: { key: SortKey; descending: boolean };
  filter: RowFilter;
}

export const worklistStore = createStore<WorklistState>({ sort: { key: 'topScore', descending: true }, filter: { kind: 'all' } });

let shown: readonly WorklistRow[] = [];

/** Called by the table with the rows in display order. */
export function setShownRows(rows: readonly WorklistRow[]): void {
  shown = rows;
}

/**
 * The row `delta` places from the one whose series is `currentSeriesKey` in the order shown
 * (the first row when none is selected); undefined past either end.
 */
export function neighbourRow(currentSeriesKey: string | undefined, delta: number): WorklistRow | undefined {
  const at = shown.findIndex((r) => r.seriesKeys.includes(currentSeriesKey ?? ''));
  if (at < 0) return shown[0];
  return shown[at + delta];
}
