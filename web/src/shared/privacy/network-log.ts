/**
 * The live list of every network request the app makes, collected from the moment this module
 * is imported (the viewer imports the panel at start-up), whether or not the panel is shown:
 * - the page's Resource Timing entries (PerformanceObserver, buffered, buffer enlarged),
 * - the service worker's report of every fetch it sees (page and workers, with the method),
 * - entries that workers post back (see worker-resource-timing.ts).
 * In memory only; nothing is persisted.
 */
import { createStore } from '../store/create-store.ts';
import type { NetworkEntry } from './audit-types.ts';
import { isWorkerResourceTimingMessage, toNetworkEntry, type PlainResourceEntry } from './worker-resource-timing.ts';

export const networkLogStore = createStore<readonly NetworkEntry[]>([]);

function append(entries: readonly NetworkEntry[]): void {
  if (entries.length > 0) networkLogStore.set((log) => [...log, ...entries]);
}

function plain(entry: PerformanceResourceTiming): PlainResourceEntry {
  return {
    name: entry.name,
    initiatorType: entry.entryType === 'navigation' ? 'navigation' : entry.initiatorType,
    transferSize: entry.transferSize,
    startTime: performance.timeOrigin + entry.startTime,
  };
}

interface ServiceWorkerFetchMessage {
  type: 'radlocal:sw-fetch';
  method: string;
  url: string;
  destination: string;
  servedFrom: 'cache' | 'network' | 'passthrough';
  time: number;
}

function isServiceWorkerFetchMessage(data: unknown): data is ServiceWorkerFetchMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'radlocal:sw-fetch';
}

function start(): void {
  if (typeof PerformanceObserver === 'undefined') return;
  performance.setResourceTimingBufferSize(10_000);
  const observer = new PerformanceObserver((list) => {
    append(list.getEntries().map((e) => toNetworkEntry(plain(e as PerformanceResourceTiming), 'page')));
  });
  observer.observe({ type: 'resource', buffered: true });
  append(performance.getEntriesByType('navigation').map((e) => toNetworkEntry(plain(e as PerformanceResourceTiming), 'page')));
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isServiceWorkerFetchMessage(data)) return;
    append([{ time: data.time, source: 'service-worker', method: data.method, url: data.url, bytes: null, kind: data.destination || 'fetch', servedFrom: data.servedFrom }]);
  });
}

/**
 * Call once for every Worker the app creates: adds the Resource Timing entries the worker posts
 * (via reportWorkerResourceTiming) to the log. Other messages are ignored.
 */
export function observeWorkerRequests(worker: Worker): void {
  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isWorkerResourceTimingMessage(event.data)) append(event.data.entries.map((e) => toNetworkEntry(e, 'worker')));
  });
}

start();
