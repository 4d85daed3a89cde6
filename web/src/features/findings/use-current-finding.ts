/** The prediction for the image on screen, requested first in the queue if not there yet. */
import { useEffect } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { findingKey, findingsStore, type FindingEntry } from '../../shared/findings/findings-store.ts';
import { requestPrediction } from './inference-queue.ts';

export function useCurrentFinding(file: OpenedFile | undefined, frame: number): FindingEntry | undefined {
  const key = file ? findingKey(file.id, frame) : undefined;
  const entry = useStore(findingsStore, (m) => (key ? m.get(key) : undefined));
  const ready = file?.status === 'ready';
  const fileId = file?.id;
  useEffect(() => {
    if (fileId && ready) requestPrediction(fileId, frame, true);
  }, [fileId, frame, ready]);
  return entry;
}
