import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageSource } from '../../shared/sources/image-source.ts';

const studies = Array.from({ length: 30 }, (_, i) => `1.2.${i}`);
let release: (() => void) | undefined;
/** When true, the third study's listing waits until the test lets it go (a cancel lands meanwhile). */
let hold = false;

vi.mock('./pacs-client.ts', () => ({
  searchStudies: async (_query: unknown, offset: number, limit: number) => studies.slice(offset, offset + limit).map((studyInstanceUID) => ({ studyInstanceUID })),
  listInstances: async (studyInstanceUID: string) => {
    if (hold && studyInstanceUID === '1.2.2') await new Promise<void>((resolve) => (release = resolve));
    return [{ studyInstanceUID, seriesInstanceUID: `${studyInstanceUID}.1`, sopInstanceUID: `${studyInstanceUID}.1.1`, modality: 'CR' }];
  },
  retrieveInstance: async () => new ArrayBuffer(0),
}));

const { stopTriage, triageQuery } = await import('./pacs-actions.ts');
const { clearPacs, pacsStore } = await import('./pacs-store.ts');

afterEach(() => clearPacs());

describe('triageQuery', () => {
  it('opens every study of the query, each image keyed by its SOP Instance UID', async () => {
    const opened: ImageSource[] = [];
    await triageQuery((sources) => opened.push(...sources));
    expect(opened.map((s) => s.key)).toEqual(studies.map((s) => `pacs:${s}.1.1`));
    expect(pacsStore.get().triage).toEqual({ studies: 30, images: 30, done: true });
  });

  it('stops when the worklist cancels: the study being listed is not opened, nor any later one', async () => {
    hold = true;
    const opened: ImageSource[] = [];
    const running = triageQuery((sources) => opened.push(...sources));
    await vi.waitFor(() => expect(release).toBeDefined());
    stopTriage();
    release?.();
    await running;
    expect(opened.map((s) => s.key)).toEqual(['pacs:1.2.0.1.1', 'pacs:1.2.1.1.1']);
    expect(pacsStore.get()).toMatchObject({ busy: 'idle', triage: { studies: 2, images: 2, done: false, stopped: true } });
  });
});
