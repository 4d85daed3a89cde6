/** Predictions per displayed image, keyed `${fileId}/${frame}`; in memory only. */
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { createStore } from '../store/create-store.ts';
import { siteProfileStore } from '../site/site-profile-store.ts';
import { currentCard, sessionScored, withSite, type SitePrediction } from './site-rescore.ts';

export interface FindingEntry {
  status: 'queued' | 'running' | 'done' | 'error';
  prediction?: SitePrediction;
  error?: SerializedError;
  /** Round trip page → worker → page, ms. */
  wallMs?: number;
}

export const findingsStore = createStore<ReadonlyMap<string, FindingEntry>>(new Map(), { coalesceMs: 50 });

export function findingKey(fileId: string, frame: number): string {
  return `${fileId}/${frame}`;
}

/** Stores an entry; its prediction is scored for the site profile in use (site-rescore.ts). */
export function setFinding(key: string, entry: FindingEntry): void {
  const scored = entry.prediction ? { ...entry, prediction: sessionScored(entry.prediction) } : entry;
  findingsStore.set((m) => new Map(m).set(key, scored));
}

export function clearFindings(): void {
  findingsStore.set(() => new Map());
}

/** Re-scores every finding from its logits when the site profile is applied or removed. */
export function installSiteRescoring(): void {
  siteProfileStore.subscribe(() => {
    const applied = siteProfileStore.get();
    const card = currentCard();
    findingsStore.set((m) => new Map([...m].map(([key, entry]) => [key, entry.prediction ? { ...entry, prediction: withSite(entry.prediction, applied, card) } : entry])));
  });
}
