import { afterEach, describe, expect, it } from 'vitest';
import type { ImageSource } from '../sources/image-source.ts';
import type { OpenedFile } from './opened-file.ts';
import { addFiles, clearFiles, fileIdOfKey, newFileId, sessionStore } from './session-store.ts';

function entry(name: string, key?: string): { file: OpenedFile; source: ImageSource } {
  const source: ImageSource = { name, size: 1, read: async () => new ArrayBuffer(1), ...(key === undefined ? {} : { key }) };
  return { file: { id: newFileId(), name, size: 1, status: 'decoding' }, source };
}

afterEach(() => clearFiles());

describe('addFiles', () => {
  it('opens a keyed source once, whether repeated in one call or opened again later', () => {
    const first = [entry('a', 'pacs:1.2.3'), entry('b', 'pacs:1.2.4'), entry('a again', 'pacs:1.2.3')];
    const added = addFiles(first);
    expect(added.map((e) => e.file.name)).toEqual(['a', 'b']);
    expect(addFiles([entry('a later', 'pacs:1.2.3'), entry('c', 'pacs:1.2.5')]).map((e) => e.file.name)).toEqual(['c']);
    expect(sessionStore.get().files.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(fileIdOfKey('pacs:1.2.3')).toBe(first[0]?.file.id);
  });

  it('opens every unkeyed source (local files), and forgets keys when the session is cleared', () => {
    expect(addFiles([entry('x.dcm'), entry('x.dcm')])).toHaveLength(2);
    addFiles([entry('a', 'pacs:9')]);
    clearFiles();
    expect(fileIdOfKey('pacs:9')).toBeUndefined();
    expect(addFiles([entry('a', 'pacs:9')])).toHaveLength(1);
    expect(sessionStore.get().files).toHaveLength(1);
  });
});
