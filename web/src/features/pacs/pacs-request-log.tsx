/**
 * The server's log of what it forwarded to the PACS (method, path without query values, status,
 * bytes), shown under the privacy audit when a PACS is configured — the other side of the
 * requests the audit lists: what actually crossed RadLocal's server.
 *
 * Test ids: pacs-log (data-count), pacs-log-entry (data-outcome), pacs-log-refresh.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PacsLogEntry } from '../../shared/dicomweb/pacs-log-entry.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { pacsStore } from './pacs-store.ts';

function kilobytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} kB`;
}

export function PacsRequestLog() {
  const configured = useStore(pacsStore, (s) => s.status.configured);
  const [entries, setEntries] = useState<PacsLogEntry[] | undefined>(undefined);
  const refresh = useCallback(() => {
    void fetch('/api/pacs/log', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ entries?: PacsLogEntry[] }>) : { entries: [] }))
      .then((body) => setEntries(body.entries ?? []))
      .catch(() => setEntries([]));
  }, []);
  useEffect(() => {
    if (configured) refresh();
  }, [configured, refresh]);
  if (!configured) return null;
  return (
    <section className="privacy-audit" aria-label="PACS requests">
      <h3>Forwarded to the PACS by this app’s server ({entries?.length ?? '…'})</h3>
      <div className="privacy-table-wrap">
        <table className="privacy-requests" data-testid="pacs-log" data-count={entries?.length ?? 0}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Method</th>
              <th>Path (no query values)</th>
              <th>Status</th>
              <th>Bytes</th>
            </tr>
          </thead>
          <tbody>
            {(entries ?? []).map((e, i) => (
              <tr key={i} data-testid="pacs-log-entry" data-outcome={e.outcome}>
                <td>{new Date(e.time).toLocaleTimeString()}</td>
                <td>{e.method}</td>
                <td className="privacy-url">{e.path}</td>
                <td>{e.outcome === 'forwarded' ? e.status : `${e.status} ${e.outcome}`}</td>
                <td>{e.method === 'POST' ? `↑${kilobytes(e.bytesIn)} ` : ''}{kilobytes(e.bytesOut)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" data-testid="pacs-log-refresh" onClick={refresh}>
        Refresh
      </button>
    </section>
  );
}
