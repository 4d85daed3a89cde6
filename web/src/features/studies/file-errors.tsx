import { useMemo } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { sessionStore } from '../../shared/session/session-store.ts';

/** Files that could not be read, each with its typed error code and sentence. */
export function FileErrors() {
  const files = useStore(sessionStore, (s) => s.files);
  const failed = useMemo(() => files.filter((f) => f.status === 'error'), [files]);
  if (failed.length === 0) return null;
  return (
    <section className="file-errors" aria-label="Files that could not be read">
      <h3 className="panel-title">Not readable ({failed.length})</h3>
      <ul>
        {failed.map((f) => (
          <li key={f.id} className="file-error" data-testid="error" data-code={f.error?.code ?? 'INTERNAL'}>
            <Icon name="warning" size={16} />
            <div>
              <div className="file-error-name">{f.name}</div>
              <code className="error-code">{f.error?.code}</code> <span>{f.error?.message}</span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
