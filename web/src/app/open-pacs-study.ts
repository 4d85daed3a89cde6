/**
 * Opening PACS images from the PACS view (composition: the PACS feature hands image sources,
 * the session opens them like local files). A study opened from its row is also shown once
 * its first image's header is read; studies opened for triage only join the worklist.
 */
import type { ImageSource } from '../shared/sources/image-source.ts';
import { seriesKeyOf } from '../shared/session/group-studies.ts';
import { onFileReady, openSources } from '../shared/session/open-files.ts';
import { findFile, flushFilePatches, select } from '../shared/session/session-store.ts';

export function openAndShow(sources: readonly ImageSource[]): void {
  const ids = new Set(openSources(sources));
  // Opened before (same images): show it now if a header is already read.
  flushFilePatches();
  for (const id of ids) {
    const image = findFile(id)?.status === 'ready' ? findFile(id)?.image : undefined;
    if (image) return select({ seriesKey: seriesKeyOf(image, id), index: 0 });
  }
  const stop = onFileReady((id) => {
    if (!ids.has(id)) return;
    stop();
    flushFilePatches();
    const image = findFile(id)?.image;
    if (image) select({ seriesKey: seriesKeyOf(image, id), index: 0 });
  });
}

export function openForTriage(sources: readonly ImageSource[]): void {
  openSources(sources);
}
