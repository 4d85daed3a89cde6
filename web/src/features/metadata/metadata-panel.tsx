/**
 * Every attribute of the shown file, filterable. Values are untrusted input: they are
 * rendered as React text nodes only (never as HTML).
 */
import { useMemo, useState } from 'react';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { TAG_NAMES } from './tag-names.ts';

function formatTag(tag: string): string {
  const t = tag.replace(/^x/i, '').toUpperCase();
  return `(${t.slice(0, 4)},${t.slice(4, 8)})`;
}

export function MetadataPanel({ file }: { file: OpenedFile | undefined }) {
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const tags = file?.image?.tags ?? {};
    const needle = filter.trim().toLowerCase();
    return Object.entries(tags)
      .map(([tag, value]) => ({ tag, name: TAG_NAMES[tag.replace(/^x/i, '').toLowerCase()] ?? '', value }))
      .sort((a, b) => a.tag.localeCompare(b.tag))
      .filter((r) => !needle || r.tag.includes(needle) || r.name.toLowerCase().includes(needle) || r.value.toLowerCase().includes(needle));
  }, [file, filter]);
  if (!file?.image) return <p className="muted small panel-pad">No image shown.</p>;
  return (
    <div className="metadata" data-testid="metadata-panel">
      <input className="search" type="search" placeholder="Filter tags…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter tags" />
      <div className="muted small panel-pad">
        {file.name} · {rows.length} attributes · sha256 {file.sha256?.slice(0, 12)}…
      </div>
      <table className="tag-table">
        <tbody>
          {rows.map((r) => (
            <tr key={r.tag}>
              <td className="tag-id">{formatTag(r.tag)}</td>
              <td className="tag-name">{r.name}</td>
              <td className="tag-value">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
