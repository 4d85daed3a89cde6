/** Predictions per displayed image, keyed `${fileId}/${frame}`; in memory only. */
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import { createStore } from '../../shared/store/create-store.ts';

export interface FindingEntry {
  status: 'queued' | 'running' | 'done' | 'error';
  prediction?: Prediction;
  error?: SerializedError;
  /** Round trip page → worker → page, ms. */
  wallMs?: number;
}

export const findingsStore = createStore<ReadonlyMap<string, FindingEntry>>(new Map(), { coalesceMs: 50 });

export function findingKey(fileId: string, frame: number): string {
  return `${fileId}/${frame}`;
}

export function setFinding(key: string, entry: FindingEntry): void {
  findingsStore.set((m) => new Map(m).set(key, entry));
}

export function clearFindings(): void {
  findingsStore.set(() => new Map());
}
