/**
 * Opening images: each source becomes an OpenedFile at once (10,000 of them cost a few MB);
 * headers are then read a few at a time (the first bytes of each file, no pixel decode) and
 * each file joins the patient/study/series tree as its header arrives. A file that cannot be
 * read keeps its typed error and the others carry on. The first readable series is shown.
 *
 * Any byte source opens the same way (`openSources`): local files here, PACS instances from
 * the PACS feature — see shared/sources/image-source.ts.
 */
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { fileSource, type ImageSource } from '../sources/image-source.ts';
import { readHeader } from '../decode/decode-client.ts';
import { seriesKeyOf } from './group-studies.ts';
import type { OpenedFile } from './opened-file.ts';
import { addFiles, fileIdOfKey, newFileId, patchFile, select, sessionStore, sourceOf } from './session-store.ts';

/** Header reads in flight: enough to hide disk latency, few enough to leave the worker free. */
const HEADER_READS = 8;

type Listener = (fileId: string) => void;
const readyListeners = new Set<Listener>();

/** Called with each file's id once its header is read (the triage queue listens here). */
export function onFileReady(listener: Listener): () => void {
  readyListeners.add(listener);
  return () => readyListeners.delete(listener);
}

const waiting: Array<{ id: string; source: ImageSource }> = [];
let reading = 0;

async function readNext(): Promise<void> {
  reading++;
  try {
    for (let job = waiting.shift(); job; job = waiting.shift()) {
      if (!sourceOf(job.id)) continue; // session cleared meanwhile
      try {
        const header = await readHeader(job.source);
        patchFile(job.id, { status: 'ready', image: header });
        if (!sessionStore.get().selection) select({ seriesKey: seriesKeyOf(header, job.id), index: 0 });
        for (const listener of readyListeners) listener(job.id);
      } catch (error) {
        patchFile(job.id, { status: 'error', error: toSerializedError(error, 'DICOM_DECODE_FAILED') });
      }
    }
  } finally {
    reading--;
  }
}

/**
 * Opens images from any byte source; headers are read in the background. A source whose key
 * is already open is not opened again (its file's id is returned).
 * @return the files' ids, one per source
 */
export function openSources(sources: readonly ImageSource[]): string[] {
  const entries = sources.map((source) => {
    const file: OpenedFile = { id: newFileId(), name: source.name, status: 'decoding' };
    return { file, source };
  });
  for (const { file, source } of addFiles(entries)) waiting.push({ id: file.id, source });
  for (let i = reading; i < HEADER_READS; i++) void readNext();
  return entries.map(({ file, source }) => (source.key === undefined ? file.id : (fileIdOfKey(source.key) ?? file.id)));
}

export function openFiles(files: readonly File[]): void {
  openSources(files.map(fileSource));
}

/** Stops reading headers of files not read yet (clear session). */
export function forgetOpening(): void {
  waiting.length = 0;
}
