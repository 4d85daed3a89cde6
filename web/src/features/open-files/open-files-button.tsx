import { useRef } from 'react';
import { Icon } from '../../shared/ui/icon.tsx';
import { openFiles } from '../../shared/session/open-files.ts';

/** File picker (DICOM with or without extension, PNG, JPEG) and a folder picker. */
export function OpenFilesButton() {
  const folderInput = useRef<HTMLInputElement>(null);
  const onChange = (event: React.ChangeEvent<HTMLInputElement>): void => {
    const files = Array.from(event.target.files ?? []).filter((f) => !f.name.startsWith('.'));
    event.target.value = '';
    if (files.length > 0) void openFiles(files);
  };
  return (
    <div className="open-files">
      <label className="button button-primary" title="Open files (O)">
        <Icon name="open" />
        <span>Open files</span>
        <input type="file" data-testid="file-input" multiple onChange={onChange} className="visually-hidden" id="file-input" />
      </label>
      <button type="button" className="button" title="Open a folder" onClick={() => folderInput.current?.click()}>
        <Icon name="folder" />
        <span>Folder</span>
      </button>
      <input
        ref={(el) => {
          folderInput.current = el;
          // webkitdirectory is not in React's typed attributes; set it on the element.
          if (el) el.setAttribute('webkitdirectory', '');
        }}
        type="file"
        data-testid="folder-input"
        multiple
        onChange={onChange}
        className="visually-hidden"
      />
    </div>
  );
}
