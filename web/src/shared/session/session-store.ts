/**
 * Everything about the current session lives here, in memory only: opened files (header,
 * thumbnail, source handle — never decoded pixels), and what is on screen. `clearSession`
 * drops it all.
 *
 * Updates arrive in bursts (thousands of headers, a steady stream of triage results), so
 * they are batched: `patchFile` collects patches and applies them in one pass per tick.
 */
import { createStore } from '../store/create-store.ts';
import type { ImageSource } from '../sources/image-source.ts';
import type { OpenedFile } from './opened-file.ts';

export interface Selection {
  seriesKey: string;
  /** Position in the series stack (images × frames). */
  index: number;
}

export interface SessionState {
  files: OpenedFile[];
  selection: Selection | undefined;
}

export const sessionStore = createStore<SessionState>({ files: [], selection: undefined }, { coalesceMs: 50 });

/** Where each file's bytes come from (read again whenever its pixels are needed). */
const sources = new Map<string, ImageSource>();
/** id → index in `files`. */
const positions = new Map<string, number>();
/** Source key (ImageSource.key) → id of the file opened from it. */
const keyed = new Map<string, string>();
const patches = new Map<string, Partial<OpenedFile>>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

let nextId = 1;
export function newFileId(): string {
  return `f${nextId++}`;
}

/**
 * Adds files to the session, except those whose source key is already open (or repeated in
 * `entries`): opening the same PACS study twice keeps one copy of each image.
 * @return the entries added (in order).
 */
export function addFiles<E extends { file: OpenedFile; source: ImageSource }>(entries: readonly E[]): E[] {
  const added = entries.filter(({ file, source }) => {
    if (source.key === undefined) return true;
    if (keyed.has(source.key)) return false;
    keyed.set(source.key, file.id);
    return true;
  });
  if (added.length === 0) return added;
  sessionStore.set((s) => {
    const files = [...s.files];
    for (const { file, source } of added) {
      sources.set(file.id, source);
      positions.set(file.id, files.length);
      files.push(file);
    }
    return { ...s, files };
  });
  return added;
}

/** The id of the file opened from the source with this key, if it is open. */
export function fileIdOfKey(key: string): string | undefined {
  return keyed.get(key);
}

function flush(): void {
  flushTimer = undefined;
  if (patches.size === 0) return;
  const batch = new Map(patches);
  patches.clear();
  sessionStore.set((s) => {
    const files = [...s.files];
    for (const [id, patch] of batch) {
      const at = positions.get(id);
      if (at !== undefined) files[at] = { ...(files[at] as OpenedFile), ...patch };
    }
    return { ...s, files };
  });
}

/**
 * Applies `patch` to file `id` with the others of this batch (one store update per batch).
 * Batches last longer as the session grows (n / 20 ms, at most 500 ms): every update regroups
 * the whole session, so 10,000 headers arriving must not regroup it 10,000 times.
 */
export function patchFile(id: string, patch: Partial<OpenedFile>): void {
  patches.set(id, { ...patches.get(id), ...patch });
  flushTimer ??= setTimeout(flush, Math.min(500, sessionStore.get().files.length / 20));
}

/** Applies pending patches now (before reading the store synchronously). */
export function flushFilePatches(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flush();
}

export function select(selection: Selection | undefined): void {
  sessionStore.set((s) => ({ ...s, selection }));
}

export function findFile(id: string): OpenedFile | undefined {
  const at = positions.get(id);
  return at === undefined ? undefined : sessionStore.get().files[at];
}

export function sourceOf(id: string): ImageSource | undefined {
  return sources.get(id);
}

export function clearFiles(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  patches.clear();
  sources.clear();
  positions.clear();
  keyed.clear();
  sessionStore.set(() => ({ files: [], selection: undefined }));
}
