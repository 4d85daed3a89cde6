import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Prediction } from '../../../../core/model/predict.ts';
import type { ImageSource } from '../../shared/sources/image-source.ts';

/** Each decode waits until the test releases it, so cancel and view land while jobs are in flight. */
const held: Array<() => void> = [];
const decoded: string[] = [];

vi.mock('../../shared/decode/decode-client.ts', () => ({
  decodeWorkerLimit: () => 1, // one decode worker: three jobs in flight
  triageInWorker: async (source: ImageSource) => {
    await new Promise<void>((resolve) => held.push(resolve));
    decoded.push(source.name);
    return { image: { frames: [] }, header: {}, sha256: '00', decodeMs: 1, thumbnail: { width: 1, height: 1, grey: new Uint8Array(1) }, size: 1 };
  },
}));
vi.mock('./inference-client.ts', () => ({
  startInference: () => undefined,
  modelPreprocessing: () => undefined,
  predictTriaged: async (_triaged: unknown, cam: boolean): Promise<Partial<Prediction>> => ({
    scores: {},
    positives: [],
    ood: { flagged: false } as Prediction['ood'],
    ...(cam ? { cam: {} } : {}),
  }),
}));

const { cancelTriage, clearQueue, requestPrediction, resumeTriage } = await import('./inference-queue.ts');
const { addFiles, clearFiles } = await import('../../shared/session/session-store.ts');
const { clearFindings, findingKey, findingsStore, flushFindings } = await import('../../shared/findings/findings-store.ts');
const { triageStore } = await import('../../shared/findings/triage-store.ts');

function openImages(count: number): string[] {
  const entries = Array.from({ length: count }, (_, i) => ({
    file: { id: `t${i}`, name: `image ${i}`, status: 'ready' as const },
    source: { name: `image ${i}`, size: 1, read: async () => new ArrayBuffer(1) },
  }));
  addFiles(entries);
  return entries.map((e) => e.file.id);
}

/** Lets every held decode go, until the queue is idle. */
async function drain(): Promise<void> {
  await vi.waitFor(() => {
    while (held.length > 0) held.shift()?.();
    expect(triageStore.get().running).toBe(0);
  });
  flushFindings();
}

function scored(ids: readonly string[]): string[] {
  return ids.filter((id) => findingsStore.get().get(findingKey(id, 0))?.status === 'done');
}

afterEach(async () => {
  await drain();
  clearQueue();
  clearFiles();
  clearFindings();
  decoded.length = 0;
});

describe('inference queue: cancel and resume', () => {
  it('after Cancel, viewing an image scores that image but does not restart triage; Resume does', async () => {
    const ids = openImages(10);
    for (const id of ids) requestPrediction(id, 0, false);
    await vi.waitFor(() => expect(held.length).toBe(3)); // three jobs in flight
    cancelTriage();
    expect(triageStore.get().cancelled).toBe(true);

    // The reader opens image 8 (never triaged): it is scored, with its maps …
    requestPrediction(ids[8] as string, 0, true);
    expect(triageStore.get().cancelled).toBe(true);
    await drain();
    expect(triageStore.get().cancelled).toBe(true);
    // … the three in flight finished, nothing else ran.
    expect(scored(ids)).toEqual([ids[0], ids[1], ids[2], ids[8]]);
    expect(findingsStore.get().get(findingKey(ids[8] as string, 0))?.prediction?.cam).toBeDefined();

    resumeTriage();
    expect(triageStore.get().cancelled).toBe(false);
    await drain();
    expect(scored(ids)).toEqual(ids);
    expect(decoded).toHaveLength(10); // every image decoded once
  });
});
