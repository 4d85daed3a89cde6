/** Drops the study from memory: files, decoded pixels, predictions, cached renderings. */
import cornerstone from 'cornerstone-core';
import { forgetDecoded } from '../shared/decode/decode-client.ts';
import { clearFindings } from '../shared/findings/findings-store.ts';
import { clearQueue } from '../features/findings/inference-queue.ts';
import { forgetOpening } from '../shared/session/open-files.ts';
import { clearPacsSession } from '../features/pacs/pacs-actions.ts';
import { clearFiles } from '../shared/session/session-store.ts';

export function clearSession(): void {
  forgetOpening();
  clearPacsSession();
  clearQueue();
  clearFindings();
  clearFiles();
  forgetDecoded();
  cornerstone.imageCache.purgeCache();
}
