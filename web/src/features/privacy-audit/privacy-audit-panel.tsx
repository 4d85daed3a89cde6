/**
 * The privacy audit panel (`data-testid="privacy-audit"`): shows, live, every network request
 * the page, its workers and the service worker observed, the verdict that none carried study
 * data, the Content-Security-Policy in force and how many attempts it blocked, the model in use
 * and its verified hash, and what the origin stores. "Export audit log" saves all of that as
 * JSON (opened files as sha256 only); "Clear session" drops the study from memory.
 *
 * Props (kept small on purpose):
 * - `model`: the model in use — name, version, sha256 and whether its files matched their
 *   hashes — or null before it has loaded / when it was refused.
 * - `openedFileSha256`: sha256 (hex) of every file opened in this session (no names).
 * - `onClearSession`: the viewer's reset that drops files, images and predictions from memory.
 * - `shown` (default true): whether the panel is on screen. A hidden panel keeps its verdict,
 *   counts and export live but leaves its request rows out: they are re-rendered on every
 *   request, and the first time column initialises the browser's date formatting — work the
 *   cold start has no use for while the panel sits in a closed tab.
 *
 * Workers: call `observeWorkerRequests(worker)` (network-log.ts) on each Worker you create and
 * `reportWorkerResourceTiming()` (worker-resource-timing.ts) inside it, so its own fetches are
 * listed even before the service worker controls the page.
 *
 * Test ids: privacy-verdict (data-ok), privacy-request (one per row, data-url), privacy-csp,
 * privacy-csp-violations (data-count), privacy-model, privacy-storage (data-only-app-assets),
 * privacy-export, privacy-clear-session, privacy-refresh.
 */
import { useMemo, useState } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import type { ModelInfo } from '../../shared/privacy/audit-types.ts';
import { buildAuditLog } from './build-audit-log.ts';
import { cspViolationStore, readMetaCsp } from './csp-violations.ts';
import { downloadJson } from '../../shared/download/download-json.ts';
import { judgeRequests, shownUrl } from './judge-requests.ts';
import { networkLogStore } from '../../shared/privacy/network-log.ts';
import { useAppPaths } from './use-app-paths.ts';
import { useStorageReport } from './use-storage-report.ts';

export interface PrivacyAuditPanelProps {
  model: ModelInfo | null;
  openedFileSha256: readonly string[];
  onClearSession: () => void;
  shown?: boolean;
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function PrivacyAuditPanel({ model, openedFileSha256, onClearSession, shown = true }: PrivacyAuditPanelProps) {
  const requests = useStore(networkLogStore, (log) => log);
  const violations = useStore(cspViolationStore, (list) => list);
  const appPaths = useAppPaths();
  const [refreshCount, setRefreshCount] = useState(0);
  const storage = useStorageReport(`${refreshCount}:${requests.length}:${openedFileSha256.length}`);
  const origin = window.location.origin;
  const verdict = useMemo(() => judgeRequests(requests, origin, appPaths), [requests, origin, appPaths]);
  const csp = readMetaCsp();

  const exportLog = (): void => {
    const now = new Date();
    const log = buildAuditLog({ now, origin, csp, violations, model, openedFileSha256, requests, verdict, storage });
    downloadJson(log, `radlocal-audit-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  };

  return (
    <section className="privacy-audit" data-testid="privacy-audit" aria-label="Privacy audit">
      <p className={`privacy-verdict ${verdict.ok ? 'ok' : 'bad'}`} data-testid="privacy-verdict" data-ok={String(verdict.ok)}>
        {verdict.ok
          ? `None of the ${verdict.checked} requests carried study data: all went to this app (${origin}) for its own files${verdict.pathsChecked ? '' : ' (file list unavailable on the dev server)'}${verdict.pacsRequests > 0 ? `, except ${verdict.pacsRequests} DICOMweb request(s) this app's server forwarded to the site's PACS at your request` : ''}.`
          : `Check these requests: ${verdict.problems.join(' ')}`}
      </p>

      <h3>Network requests ({requests.length})</h3>
      <div className="privacy-table-wrap">
        <table className="privacy-requests">
          <thead>
            <tr>
              <th>Time</th>
              <th>Seen by</th>
              <th>Method</th>
              <th>Address</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {(shown ? requests : []).map((r, i) => (
              <tr key={i} data-testid="privacy-request" data-url={r.url}>
                <td>{new Date(r.time).toLocaleTimeString()}</td>
                <td>{r.source === 'service-worker' ? `service worker (${r.servedFrom ?? ''})` : r.source}</td>
                <td title={r.method ? undefined : `${r.kind}: Resource Timing does not expose the method; the service worker reports it once it controls the page`}>
                  {r.method ?? (r.kind === 'fetch' || r.kind === 'xmlhttprequest' ? '?' : 'GET')}
                </td>
                <td className="privacy-url">{shownUrl(r.url).startsWith(origin) ? shownUrl(r.url).slice(origin.length) : r.url}</td>
                <td>{formatBytes(r.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>Content-Security-Policy</h3>
      <code className="privacy-csp" data-testid="privacy-csp">{csp ?? 'sent as an HTTP header only (dev server)'}</code>
      <p data-testid="privacy-csp-violations" data-count={violations.length}>
        {violations.length === 0 ? 'No attempt blocked by the policy.' : `${violations.length} attempt(s) blocked: ${violations.map((v) => `${v.directive} → ${v.blocked}`).join(', ')}`}
      </p>

      <h3>Model</h3>
      <p data-testid="privacy-model" data-verified={model ? String(model.verified) : 'false'}>
        {model ? (
          <>
            {model.name} {model.version} — {model.verified ? 'every file matches its sha256' : 'NOT verified: inference refused'}
            <br />
            <code>{model.sha256}</code>
          </>
        ) : (
          'No model loaded.'
        )}
      </p>

      <h3>Stored in this browser</h3>
      <p data-testid="privacy-storage" data-only-app-assets={storage ? String(storage.onlyAppAssets) : 'unknown'}>
        {storage
          ? `${formatBytes(storage.usageBytes)} in use; localStorage ${storage.localStorageKeys} keys, sessionStorage ${storage.sessionStorageKeys} keys, IndexedDB ${storage.indexedDbNames.length} databases, caches: ${storage.cacheNames.join(', ') || 'none'}. ${storage.onlyAppAssets ? 'Only the app’s own files are stored; nothing about a study.' : 'Something besides the app’s files is stored.'}`
          : 'Reading…'}
      </p>
      <p>Opened this session: {openedFileSha256.length} file(s), identified in the audit log by sha256 only.</p>

      <div className="privacy-actions">
        <button type="button" data-testid="privacy-export" onClick={exportLog}>
          Export audit log
        </button>
        <button type="button" data-testid="privacy-refresh" onClick={() => setRefreshCount((n) => n + 1)}>
          Refresh
        </button>
        <button type="button" data-testid="privacy-clear-session" onClick={onClearSession}>
          Clear session
        </button>
      </div>
    </section>
  );
}
