/**
 * Decodes opened files off the main thread with the project's one decoder
 * (core/image → core/dicom), so the viewer shows exactly what training reads.
 *
 * - header: grouping reads the head of each file (read-header.ts) or, failing that, the
 *   whole file, decoded without its frames;
 * - frame: one frame for display, transferred to the page (which keeps it in a byte-bounded
 *   cache); a multi-frame file's bytes stay here until another file is asked for, so a
 *   500-frame series scrolls without re-reading or decoding the other frames;
 * - triage: one frame decoded, thumbnailed and — once the model card is known — preprocessed for
 *   the model; the model input (or the frame) is transferred back (not copied) for the page to
 *   pass straight on to the inference worker.
 */
import { DEFAULT_MAX_DECODED_BYTES } from '../../../../core/dicom/decode-dicom.ts';
import { outputBytesPerSample, samplesPerFrame } from '../../../../core/dicom/pixel-arrays.ts';
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { browserCodecProvider } from '../codecs/browser-codec-provider.ts';
import { sha256Hex } from '../../../../core/model/sha256.ts';
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { DecodeRequest, DecodeResponse, ModelInput } from './decode-messages.ts';
import { preprocessFrame } from '../../../../core/preprocess/preprocess-frame.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';
import { makeThumbnail } from './make-thumbnail.ts';
import { headerOf, readDicomHeader } from './read-header.ts';
import { reportWorkerResourceTiming } from '../privacy/worker-resource-timing.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The privacy audit lists this worker's own requests (codec chunks and .wasm files).
reportWorkerResourceTiming();

/** The multi-frame file last asked for, kept for its next frames. */
let held: { fileId: string; bytes: Uint8Array } | undefined;

/**
 * The frames to decode for `frame`: just it when the file's header reads and its declared
 * size (all frames) is within the decoder's limit; otherwise all (undefined), so the file
 * meets exactly the checks — and typed errors — of a full decode, as in Node.
 */
function framesFor(bytes: Uint8Array, frame: number): number[] | undefined {
  const header = readDicomHeader(bytes);
  if (!header) return undefined;
  const declared = samplesPerFrame(header) * outputBytesPerSample(header) * header.numberOfFrames;
  return declared <= DEFAULT_MAX_DECODED_BYTES ? [frame] : undefined;
}

function reply(message: DecodeResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function buffersOf(image: DecodedImage): ArrayBuffer[] {
  return image.frames.map((f) => f.buffer as ArrayBuffer).filter((b, i, all) => all.indexOf(b) === i);
}

async function header(request: Extract<DecodeRequest, { type: 'header' }>): Promise<void> {
  const bytes = new Uint8Array(request.bytes);
  const fromHead = readDicomHeader(bytes);
  if (fromHead) return reply({ type: 'header', id: request.id, ok: true, header: fromHead });
  if (!request.whole) return reply({ type: 'header', id: request.id, ok: false, needWhole: true });
  const image = await decodeImageFile(bytes, { codecs: browserCodecProvider, frames: [] });
  reply({ type: 'header', id: request.id, ok: true, header: headerOf(image) });
}

async function frame(request: Extract<DecodeRequest, { type: 'frame' }>): Promise<void> {
  if (request.bytes) held = { fileId: request.fileId, bytes: new Uint8Array(request.bytes) };
  if (held?.fileId !== request.fileId) return reply({ type: 'frame', id: request.id, ok: false, needBytes: true });
  const bytes = held.bytes;
  const start = performance.now();
  const frames = framesFor(bytes, request.frame);
  const image = await decodeImageFile(bytes, { codecs: browserCodecProvider, ...(frames ? { frames } : {}) });
  const decodeMs = performance.now() - start;
  if (image.numberOfFrames < 2 && held?.fileId === request.fileId) held = undefined;
  const at = frames ? 0 : request.frame;
  const single = { ...image, frames: image.frames.slice(at, at + 1), numberOfFrames: image.numberOfFrames };
  reply({ type: 'frame', id: request.id, ok: true, image: single, decodeMs }, buffersOf(single));
}

/**
 * The model input of a triaged frame (core's one preprocessing path, with the card's
 * parameters); undefined when preprocessing fails, so the frame goes on and the inference
 * worker reports the problem as a finding's error, as for any frame.
 */
function modelInput(image: DecodedImage, preprocessing: PreprocessParams): ModelInput | undefined {
  try {
    const start = performance.now();
    const input = preprocessFrame(image, 0, preprocessing);
    const { data, height, width, channels, geometry } = input;
    return { data, height, width, channels, geometry, preprocessMs: performance.now() - start, preprocessing: JSON.stringify(preprocessing) };
  } catch {
    return undefined;
  }
}

async function triage(request: Extract<DecodeRequest, { type: 'triage' }>): Promise<void> {
  // Web Crypto hashes its own copy of the bytes off this thread while the frame is decoded here.
  const hashing = sha256Hex(new Uint8Array(request.bytes));
  hashing.catch(() => undefined); // awaited below, after the decode: not an unhandled rejection meanwhile
  // A failed decode still reports the hash (the worklist keys errors by file content too).
  let sha256: string | undefined;
  try {
    const start = performance.now();
    const bytes = new Uint8Array(request.bytes);
    const frames = framesFor(bytes, request.frame);
    const image = await decodeImageFile(bytes, { codecs: browserCodecProvider, ...(frames ? { frames } : {}) });
    const decodeMs = performance.now() - start;
    const at = frames ? 0 : request.frame;
    const thumbnail = makeThumbnail(image, at);
    const single = { ...image, frames: image.frames.slice(at, at + 1), numberOfFrames: 1 };
    const input = request.preprocessing ? modelInput(single, request.preprocessing) : undefined;
    sha256 = await hashing;
    const done = { type: 'triage', id: request.id, ok: true, header: headerOf(image), sha256, decodeMs, thumbnail } as const;
    if (input) reply({ ...done, input }, [input.data.buffer as ArrayBuffer, thumbnail.grey.buffer]);
    else reply({ ...done, image: single }, [...buffersOf(single), thumbnail.grey.buffer]);
  } catch (error) {
    reply({ type: 'triage', id: request.id, ok: false, error: toSerializedError(error, 'DICOM_DECODE_FAILED'), sha256: sha256 ?? (await hashing) });
  }
}

scope.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const request = event.data;
  if (request.type === 'forget') {
    held = undefined;
    return;
  }
  try {
    if (request.type === 'header') await header(request);
    else if (request.type === 'frame') await frame(request);
    else await triage(request);
  } catch (error) {
    reply({ type: request.type, id: request.id, ok: false, error: toSerializedError(error, 'DICOM_DECODE_FAILED') });
  }
};
