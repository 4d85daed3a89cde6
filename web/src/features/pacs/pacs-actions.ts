/**
 * What the PACS view does: search a page, open a study, triage every study of a query. Opening
 * hands image sources to the viewer's own open path (`open`, composed by app/), so PACS images
 * are decoded and scored exactly like local files.
 */
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ImageSource } from '../../shared/sources/image-source.ts';
import { listInstances, searchStudies, type StudyQuery } from './pacs-client.ts';
import { forgetRetrieved, pacsSource } from './pacs-source.ts';
import { clearPacs, PAGE_SIZE, pacsStore, patchPacs } from './pacs-store.ts';

export type OpenSources = (sources: readonly ImageSource[]) => void;

export async function search(query: StudyQuery, offset: number): Promise<void> {
  patchPacs({ query, offset, busy: 'searching', error: undefined });
  try {
    // One more than a page tells whether there is a next page.
    const rows = await searchStudies(query, offset, PAGE_SIZE + 1);
    patchPacs({ rows: rows.slice(0, PAGE_SIZE), more: rows.length > PAGE_SIZE, busy: 'idle' });
  } catch (error) {
    patchPacs({ rows: [], more: false, busy: 'idle', error: toSerializedError(error, 'PACS_UNREACHABLE') });
  }
}

/**
 * Lists the study's images and opens them unless `still()` turned false meanwhile.
 * @return how many images were opened.
 */
async function openStudy(studyInstanceUID: string, open: OpenSources, still: () => boolean = () => true): Promise<number> {
  const instances = await listInstances(studyInstanceUID);
  if (!still()) return 0;
  open(instances.map(pacsSource));
  return instances.length;
}

const triaging = (): boolean => pacsStore.get().busy === 'triaging';

export async function openStudyFromRow(studyInstanceUID: string, open: OpenSources): Promise<void> {
  patchPacs({ busy: 'opening', error: undefined });
  try {
    await openStudy(studyInstanceUID, open);
    patchPacs({ busy: 'idle' });
  } catch (error) {
    patchPacs({ busy: 'idle', error: toSerializedError(error, 'PACS_UNREACHABLE') });
  }
}

/**
 * Opens every study the current query matches, page by page, handing each study's images to
 * the viewer as soon as they are listed: the worklist triages them while later pages are still
 * being read (its own queue bounds decode and memory).
 */
export async function triageQuery(open: OpenSources): Promise<void> {
  const { query } = pacsStore.get();
  patchPacs({ busy: 'triaging', error: undefined, triage: { studies: 0, images: 0, done: false } });
  try {
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const rows = await searchStudies(query, offset, PAGE_SIZE);
      for (const row of rows) {
        if (!triaging()) return; // stopped or cleared meanwhile
        const images = await openStudy(row.studyInstanceUID, open, triaging);
        if (!triaging()) return;
        const t = pacsStore.get().triage;
        patchPacs({ triage: { studies: (t?.studies ?? 0) + 1, images: (t?.images ?? 0) + images, done: false } });
      }
      if (rows.length < PAGE_SIZE) break;
    }
    const t = pacsStore.get().triage;
    patchPacs({ busy: 'idle', triage: { studies: t?.studies ?? 0, images: t?.images ?? 0, done: true } });
  } catch (error) {
    patchPacs({ busy: 'idle', error: toSerializedError(error, 'PACS_UNREACHABLE') });
  }
}

/** Stops a running triage of a query (the worklist's cancel): no further study is listed or opened. */
export function stopTriage(): void {
  const { busy, triage } = pacsStore.get();
  if (busy !== 'triaging') return;
  patchPacs({ busy: 'idle', triage: { studies: triage?.studies ?? 0, images: triage?.images ?? 0, done: false, stopped: true } });
}

/** Clear session: the search, its results and every retrieved byte go (a running triage stops). */
export function clearPacsSession(): void {
  clearPacs();
  forgetRetrieved();
}
