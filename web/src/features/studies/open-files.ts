/**
 * Opening files: each becomes an OpenedFile, is decoded in the worker, and joins the
 * patient/study/series tree; a file that cannot be read keeps its typed error and the
 * others carry on. The first readable series is shown.
 */
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { decodeFile } from '../decode/decode-client.ts';
import { groupStudies } from '../../shared/session/group-studies.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { addFiles, newFileId, select, sessionStore, updateFile } from './session-store.ts';

type Listener = (file: OpenedFile) => void;
const readyListeners = new Set<Listener>();

/** Called for each file once it has decoded (the inference queue listens here). */
export function onFileReady(listener: Listener): () => void {
  readyListeners.add(listener);
  return () => readyListeners.delete(listener);
}

function selectFirstIfNone(): void {
  const state = sessionStore.get();
  if (state.selection) return;
  const first = groupStudies(state.files)[0]?.studies[0]?.series[0];
  if (first) select({ seriesKey: first.key, index: 0 });
}

export function openFiles(files: readonly File[]): Promise<void> {
  const opened: OpenedFile[] = files.map((f) => ({ id: newFileId(), name: f.webkitRelativePath || f.name, size: f.size, status: 'decoding' }));
  addFiles(opened);
  const jobs = opened.map(async (entry, i) => {
    try {
      const result = await decodeFile(entry.id, files[i] as File);
      updateFile(entry.id, { status: 'ready', image: result.image, sha256: result.sha256, decodeMs: result.decodeMs });
      selectFirstIfNone();
      const ready = sessionStore.get().files.find((f) => f.id === entry.id);
      if (ready) for (const listener of readyListeners) listener(ready);
    } catch (error) {
      const sha256 = (error as { sha256?: unknown }).sha256;
      updateFile(entry.id, {
        status: 'error',
        error: toSerializedError(error, 'DICOM_DECODE_FAILED'),
        ...(typeof sha256 === 'string' ? { sha256 } : {}),
      });
    }
  });
  return Promise.all(jobs).then(() => undefined);
}
