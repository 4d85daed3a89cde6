/**
 * Main-thread side of the decode workers.
 *
 * Decoded pixels on the page live only in one byte-bounded LRU (`#cache=<MB>`, see
 * app-config): a frame shown in the viewport is decoded on demand, kept while it fits, and
 * decoded again from its source after eviction. Triage gets its frame transferred from the
 * decode worker and passes it on, transferred, to the inference worker: it never adds to
 * this cache.
 */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { ByteBudgetLru } from '../cache/byte-budget-lru.ts';
import { appConfig } from '../config/app-config.ts';
import type { ImageSource } from '../sources/image-source.ts';
import type { ImageHeader, Thumbnail } from '../session/opened-file.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';
import type { DecodeRequest, DecodeResponse, ModelInput } from './decode-messages.ts';
import { HEAD_BYTES } from './read-header.ts';
import { observeWorkerRequests } from '../privacy/network-log.ts';

export type TriageResult = {
  header: ImageHeader;
  sha256: string;
  decodeMs: number;
  thumbnail: Thumbnail;
  /** The file's size in bytes. */
  size: number;
} & (
  | {
      /** The decoded frame only (frames.length === 1), to be transferred on, not kept. */
      image: DecodedImage;
    }
  | {
      /** The frame preprocessed for the model (asked for with its card's parameters), to be transferred on. */
      input: ModelInput;
    }
);

type Pending = { resolve: (message: DecodeResponse) => void; reject: (error: RadLocalError) => void };

/**
 * Decode workers. The first reads headers, decodes frames for display (and holds a multi-frame
 * file's bytes) and triages; on a machine with more than one core a second one, started with
 * the first triage that finds the first busy, triages too: one JPEG 2000 frame at 2048² keeps a
 * worker busy for most of a second, during which the other decodes the next files and the
 * inference worker is not left waiting.
 */
const workers: Array<{ worker: Worker; /** Requests it has not answered yet. */ pending: Map<number, Pending> }> = [];
let nextId = 1;

/** Decoded frames for display, keyed `${fileId}/${frame}`. */
const frames = new ByteBudgetLru<string, DecodedImage>(appConfig.decodedCacheBytes);
const inFlight = new Map<string, Promise<DecodedImage>>();
/** The multi-frame file whose bytes the first worker holds (see decode.worker.ts). */
let heldByWorker: string | undefined;
/** Bumped by forgetDecoded: results of requests made before are not cached. */
let generation = 0;

/** How many decode workers triage may use: two when the machine has more than one core. */
export function decodeWorkerLimit(): number {
  const cores = typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
  return cores > 1 ? 2 : 1;
}

function getWorker(index = 0): { worker: Worker; pending: Map<number, Pending> } {
  const existing = workers[index];
  if (existing) return existing;
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: index === 0 ? 'radlocal-decode' : `radlocal-decode-${index + 1}` });
  const pending = new Map<number, Pending>();
  workers[index] = { worker, pending };
  worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || !('id' in message)) return; // audit messages
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    entry.resolve(message);
  };
  observeWorkerRequests(worker);
  worker.onerror = (event) => {
    for (const [id, entry] of pending) {
      entry.reject(new RadLocalError('INTERNAL', `The decoder stopped unexpectedly: ${event.message}`));
      pending.delete(id);
    }
  };
  return { worker, pending };
}

function send(request: DecodeRequest & { id: number }, transfer: Transferable[] = [], index = 0): Promise<DecodeResponse> {
  const { worker, pending } = getWorker(index);
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject });
    worker.postMessage(request, transfer);
  });
}

/** The decode worker for the next triage: the one with the fewest unanswered requests (a second one is started when the first is busy). */
function triageWorker(): number {
  let best = 0;
  for (let i = 1; i < decodeWorkerLimit(); i++) {
    const waiting = workers[i]?.pending.size ?? 0;
    if (waiting < (workers[best]?.pending.size ?? 0)) best = i;
  }
  return best;
}

function failure(message: DecodeResponse): RadLocalError & { sha256?: string } {
  if ('error' in message) return Object.assign(new RadLocalError(message.error.code, message.error.message), message.sha256 ? { sha256: message.sha256 } : {});
  return new RadLocalError('INTERNAL', 'The decoder answered out of turn.');
}

async function readBytes(source: ImageSource, head?: number): Promise<ArrayBuffer> {
  try {
    return head !== undefined && source.readHead ? await source.readHead(head) : await source.read();
  } catch (error) {
    if (error instanceof RadLocalError) throw error;
    throw new RadLocalError('DICOM_TRUNCATED', `The file could not be read: ${String(error)}`);
  }
}

/** Starts the decode worker ahead of the first file (its script parses while the page settles). */
export function warmDecoder(): void {
  getWorker();
}

/** The image's header (no pixels): from the first bytes when they hold it, else from the whole file. */
export async function readHeader(source: ImageSource): Promise<ImageHeader> {
  if (source.readHead) {
    const head = await readBytes(source, HEAD_BYTES);
    const answer = await send({ type: 'header', id: nextId++, bytes: head, whole: head.byteLength < HEAD_BYTES }, [head]);
    if (answer.type === 'header' && answer.ok) return answer.header;
    if (!('needWhole' in answer)) throw failure(answer);
  }
  const bytes = await readBytes(source);
  const answer = await send({ type: 'header', id: nextId++, bytes, whole: true }, [bytes]);
  if (answer.type === 'header' && answer.ok) return answer.header;
  throw failure(answer);
}

async function requestFrame(fileId: string, source: ImageSource, frame: number, multiFrame: boolean): Promise<DecodedImage> {
  const ask = async (withBytes: boolean): Promise<DecodeResponse> => {
    const bytes = withBytes ? await readBytes(source) : undefined;
    heldByWorker = multiFrame ? fileId : undefined;
    return send({ type: 'frame', id: nextId++, fileId, frame, ...(bytes ? { bytes } : {}) }, bytes ? [bytes] : []);
  };
  let answer = await ask(heldByWorker !== fileId);
  if (answer.type === 'frame' && !answer.ok && 'needBytes' in answer) answer = await ask(true);
  if (answer.type === 'frame' && answer.ok) return answer.image;
  throw failure(answer);
}

/**
 * One decoded frame (`image.frames` holds just it), from the cache or decoded from `source`.
 * @param multiFrame whether the file has more frames (its bytes then stay in the worker).
 */
export function decodeFrame(fileId: string, source: ImageSource, frame: number, multiFrame: boolean): Promise<DecodedImage> {
  const key = `${fileId}/${frame}`;
  const cached = frames.get(key);
  if (cached) return Promise.resolve(cached);
  const running = inFlight.get(key);
  if (running) return running;
  const startedIn = generation;
  const promise = requestFrame(fileId, source, frame, multiFrame).then(
    (image) => {
      inFlight.delete(key);
      if (startedIn === generation) frames.set(key, image, image.frames[0]?.byteLength ?? 0);
      return image;
    },
    (error: unknown) => {
      inFlight.delete(key);
      throw error;
    },
  );
  inFlight.set(key, promise);
  return promise;
}

/**
 * Decodes `frame` of `source` for the model: the frame — or, given the model card's
 * `preprocessing`, its model input — the header, the file's sha256, the decode time and a thumbnail.
 */
export async function triageInWorker(source: ImageSource, frame: number, preprocessing?: PreprocessParams): Promise<TriageResult> {
  const bytes = await readBytes(source);
  const size = bytes.byteLength;
  const answer = await send({ type: 'triage', id: nextId++, bytes, frame, ...(preprocessing ? { preprocessing } : {}) }, [bytes], triageWorker());
  if (answer.type === 'triage' && answer.ok) {
    const { header, sha256, decodeMs, thumbnail } = answer;
    return { header, sha256, decodeMs, thumbnail, size, ...('input' in answer ? { input: answer.input } : { image: answer.image }) };
  }
  throw failure(answer);
}

/** Bytes of decoded pixels the page holds now, the most it held, and the budget (tests, bench). */
export function decodedBytesGauge(): { bytes: number; peak: number; budget: number; frames: number } {
  return { bytes: frames.bytes, peak: frames.peak, budget: frames.budget, frames: frames.size };
}

/** Drops every decoded frame (clear session). */
export function forgetDecoded(): void {
  generation++;
  frames.clear();
  inFlight.clear();
  heldByWorker = undefined;
  workers[0]?.worker.postMessage({ type: 'forget' } satisfies DecodeRequest);
}
