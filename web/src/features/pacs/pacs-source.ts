/**
 * PACS instances as image sources (shared/sources/image-source.ts): the viewer opens them like
 * local files — same header read, same decoder, same scores. `read` may be called more than
 * once per image (header, then decode on demand): the retrieved Part 10 bytes are kept in a
 * small byte-bounded cache so one opening costs one WADO-RS retrieval; evicted bytes are simply
 * retrieved again.
 */
import { ByteBudgetLru } from '../../shared/cache/byte-budget-lru.ts';
import type { ImageSource } from '../../shared/sources/image-source.ts';
import { retrieveInstance, type InstanceRef } from './pacs-client.ts';

/** Retrieved bytes kept for re-reads (compressed as stored: a few MB per radiograph). */
const RETRIEVED_BUDGET = 96 * 1024 * 1024;
const retrieved = new ByteBudgetLru<string, Promise<ArrayBuffer>>(RETRIEVED_BUDGET);

function read(ref: InstanceRef): Promise<ArrayBuffer> {
  const key = ref.sopInstanceUID;
  const cached = retrieved.get(key);
  if (cached) return cached.then((b) => b.slice(0));
  const pending = retrieveInstance(ref);
  // Counted at a nominal size until the bytes arrive, then at their real size.
  retrieved.set(key, pending, 1);
  pending.then(
    (bytes) => retrieved.set(key, pending, bytes.byteLength),
    () => retrieved.delete(key),
  );
  // Each caller gets its own copy: the decoder transfers (detaches) the buffer it is given.
  return pending.then((b) => b.slice(0));
}

export function pacsSource(ref: InstanceRef): ImageSource {
  return { name: `${ref.modality || 'PACS'} · ${ref.sopInstanceUID}`, key: `pacs:${ref.sopInstanceUID}`, size: undefined, read: () => read(ref) };
}

/** Drops every retrieved byte (clear session). */
export function forgetRetrieved(): void {
  retrieved.clear();
}
