/** The storage report, re-read on mount and whenever `refreshKey` changes. */
import { useEffect, useState } from 'react';
import type { StorageReport } from '../../shared/privacy/audit-types.ts';
import { readStorageReport } from './read-storage-report.ts';

export function useStorageReport(refreshKey: unknown): StorageReport | null {
  const [report, setReport] = useState<StorageReport | null>(null);
  useEffect(() => {
    let live = true;
    readStorageReport().then(
      (next) => live && setReport(next),
      () => live && setReport(null),
    );
    return () => {
      live = false;
    };
  }, [refreshKey]);
  return report;
}
