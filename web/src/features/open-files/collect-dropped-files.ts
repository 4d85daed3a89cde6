/**
 * Files from a drop: plain files and whole folders (walked recursively through the File and
 * Directory Entries API, `webkitGetAsEntry`). Hidden files are skipped. Files are handed on
 * in batches while the walk goes on, so a folder of 10,000 files starts opening (and its
 * headers reading) after the first batch instead of after the whole walk.
 */

/** Files per batch handed to `onBatch`. */
const BATCH = 256;

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call: call until it returns none.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) all.push(...batch);
  return all;
}

async function walk(entry: FileSystemEntry, emit: (file: File) => void): Promise<void> {
  if (entry.name.startsWith('.')) return;
  if (entry.isFile) {
    emit(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) await walk(child, emit);
  }
}

/**
 * Walks the dropped items, calling `onBatch` with up to BATCH files at a time (in folder
 * order); resolves with the number of files found.
 */
export async function collectDroppedFiles(transfer: DataTransfer, onBatch: (files: File[]) => void): Promise<number> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  // DataTransfer items are only readable during the drop event: take the entries first.
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  const fallback = Array.from(transfer.files).filter((f) => !f.name.startsWith('.'));
  let pending: File[] = [...loose];
  let total = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    total += pending.length;
    onBatch(pending);
    pending = [];
  };
  const emit = (file: File): void => {
    pending.push(file);
    if (pending.length >= BATCH) flush();
  };
  for (const entry of entries) await walk(entry, emit);
  flush();
  if (total === 0 && fallback.length > 0) {
    onBatch(fallback);
    total = fallback.length;
  }
  return total;
}
