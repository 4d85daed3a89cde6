/**
 * Workers have their own Resource Timing buffer, invisible to the page. A worker calls
 * reportWorkerResourceTiming() once at start-up; it posts every resource entry back to the page
 * as a plain message, which network-log.ts (observeWorkerRequests) adds to the audit log.
 * Messages carry URL, type, size and time only.
 */
import type { NetworkEntry, RequestSource } from './audit-types.ts';

export interface PlainResourceEntry {
  name: string;
  initiatorType: string;
  transferSize: number;
  /** Epoch milliseconds. */
  startTime: number;
}

export interface WorkerResourceTimingMessage {
  type: 'radlocal:resource-timing';
  entries: PlainResourceEntry[];
}

export function isWorkerResourceTimingMessage(data: unknown): data is WorkerResourceTimingMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'radlocal:resource-timing' && Array.isArray((data as { entries?: unknown }).entries);
}

export function toNetworkEntry(entry: PlainResourceEntry, source: RequestSource): NetworkEntry {
  return { time: entry.startTime, source, method: null, url: entry.name, bytes: entry.transferSize, kind: entry.initiatorType };
}

/** In a worker: forward this worker's Resource Timing entries (past and future) to the page. */
export function reportWorkerResourceTiming(post: (message: WorkerResourceTimingMessage) => void = (m) => self.postMessage(m)): void {
  if (typeof PerformanceObserver === 'undefined') return;
  new PerformanceObserver((list) => {
    const entries = list.getEntries().map((e) => {
      const r = e as PerformanceResourceTiming;
      return { name: r.name, initiatorType: r.initiatorType, transferSize: r.transferSize, startTime: performance.timeOrigin + r.startTime };
    });
    if (entries.length > 0) post({ type: 'radlocal:resource-timing', entries });
  }).observe({ type: 'resource', buffered: true });
}
