/**
 * Everything about the current session lives here, in memory only: opened files, their
 * decoded images, predictions, and what is on screen. `clearSession` drops it all.
 */
import { createStore } from '../../shared/store/create-store.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';

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

let nextId = 1;
export function newFileId(): string {
  return `f${nextId++}`;
}

export function addFiles(files: OpenedFile[]): void {
  sessionStore.set((s) => ({ ...s, files: [...s.files, ...files] }));
}

export function updateFile(id: string, patch: Partial<OpenedFile>): void {
  sessionStore.set((s) => ({ ...s, files: s.files.map((f) => (f.id === id ? { ...f, ...patch } : f)) }));
}

export function select(selection: Selection | undefined): void {
  sessionStore.set((s) => ({ ...s, selection }));
}

export function findFile(id: string): OpenedFile | undefined {
  return sessionStore.get().files.find((f) => f.id === id);
}

export function clearFiles(): void {
  sessionStore.set(() => ({ files: [], selection: undefined }));
}
