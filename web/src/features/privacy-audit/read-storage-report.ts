/** What this origin stores in the browser right now (the panel's "storage in use"). */
import type { StorageReport } from '../../shared/privacy/audit-types.ts';

/** Name prefix of the service worker's asset cache (web/src/sw/service-worker.ts). */
export const APP_CACHE_PREFIX = 'radlocal-assets-';

export async function readStorageReport(): Promise<StorageReport> {
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : undefined;
  const indexedDbNames = typeof indexedDB !== 'undefined' && 'databases' in indexedDB ? (await indexedDB.databases()).map((db) => db.name ?? '') : [];
  const cacheNames = typeof caches !== 'undefined' ? await caches.keys() : [];
  const report = {
    usageBytes: estimate?.usage ?? null,
    localStorageKeys: localStorage.length,
    sessionStorageKeys: sessionStorage.length,
    indexedDbNames,
    cacheNames,
  };
  return { ...report, onlyAppAssets: isOnlyAppAssets(report) };
}

export function isOnlyAppAssets(report: Omit<StorageReport, 'onlyAppAssets' | 'usageBytes'>): boolean {
  return (
    report.localStorageKeys === 0 &&
    report.sessionStorageKeys === 0 &&
    report.indexedDbNames.length === 0 &&
    report.cacheNames.every((name) => name.startsWith(APP_CACHE_PREFIX))
  );
}
