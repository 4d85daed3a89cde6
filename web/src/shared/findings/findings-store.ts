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

/** Entries set since the last flush (applied to the store in one copy of the map). */
const pending = new Map<string, FindingEntry>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending.size === 0) return;
  const batch = [...pending];
  pending.clear();
  findingsStore.set((m) => {
    const next = new Map(m);
    for (const [key, entry] of batch) next.set(key, entry);
    return next;
  });
}

/**
 * Stores an entry; its prediction is scored for the site profile in use (site-rescore.ts).
 * Entries are applied in batches: every update copies the map and re-derives the worklist,
 * so with n findings a batch lasts n / 40 ms (at most 250 ms) — 10,000 triage results do not
 * copy a 10,000-entry map 20,000 times. `getFinding` sees an entry at once.
 */
export function setFinding(key: string, entry: FindingEntry): void {
  const scored = entry.prediction ? { ...entry, prediction: sessionScored(entry.prediction) } : entry;
  pending.set(key, scored);
  flushTimer ??= setTimeout(flush, Math.min(250, findingsStore.get().size / 40));
}

/** The entry for `key`, including one set but not yet applied to the store. */
export function getFinding(key: string): FindingEntry | undefined {
  return pending.get(key) ?? findingsStore.get().get(key);
}

/**
 * Applies pending entries now and tells the store's listeners at once (before reading the
 * store synchronously, and when triage goes idle: the last scores must be on screen no later
 * than the triage store — coalesced separately — says the queue has stopped).
 */
export function flushFindings(): void {
  flush();
  findingsStore.notifyNow();
}

export function clearFindings(): void {
  pending.clear();
  flush();
  findingsStore.set(() => new Map());
}

/** Re-scores every finding from its logits when the site profile is applied or removed. */
export function installSiteRescoring(): void {
  siteProfileStore.subscribe(() => {
    flush();
    const applied = siteProfileStore.get();
    const card = currentCard();
    findingsStore.set((m) => new Map([...m].map(([key, entry]) => [key, entry.prediction ? { ...entry, prediction: withSite(entry.prediction, applied, card) } : entry])));
  });
}
