/**
 * The storage report, re-read on mount and whenever `refreshKey` changes — once the page is idle:
 * the panel's key changes with every request the page makes, dozens during start-up, and each
 * read is several round trips to the browser. A burst of changes gives one read, after it.
 */
import { useEffect, useState } from 'react';
import type { StorageReport } from '../../shared/privacy/audit-types.ts';
import { readStorageReport } from './read-storage-report.ts';

/** Longest wait for an idle moment, ms. */
const IDLE_TIMEOUT_MS = 1000;

function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 200);
  return () => clearTimeout(handle);
}

export function useStorageReport(refreshKey: unknown): StorageReport | null {
  const [report, setReport] = useState<StorageReport | null>(null);
  useEffect(() => {
    let live = true;
    const cancel = whenIdle(() => {
      readStorageReport().then(
        (next) => live && setReport(next),
        () => live && setReport(null),
      );
    });
    return () => {
      live = false;
      cancel();
    };
  }, [refreshKey]);
  return report;
}
