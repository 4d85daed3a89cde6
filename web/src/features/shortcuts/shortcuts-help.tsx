import { useEffect, useRef } from 'react';
import { Icon } from '../../shared/ui/icon.tsx';
import { SHORTCUTS } from './shortcut-list.ts';

/** The "?" dialog listing every shortcut. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="help-dialog" onClose={onClose} data-testid="shortcuts-help">
      <div className="help-head">
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="tool" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
