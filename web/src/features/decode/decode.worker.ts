/**
 * Decodes opened files off the main thread with the project's one decoder
 * (core/image → core/dicom), so the viewer shows exactly what training reads.
 */
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { browserCodecProvider } from '../../shared/codecs/browser-codec-provider.ts';
import { sha256Hex } from '../../shared/format/sha256-hex.ts';
import type { DecodeRequest, DecodeResponse } from './decode-messages.ts';
import { reportWorkerResourceTiming } from '../privacy-audit/worker-resource-timing.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The privacy audit lists this worker's own requests (codec chunks and .wasm files).
reportWorkerResourceTiming();

scope.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { id, bytes } = event.data;
  const sha256 = await sha256Hex(bytes);
  let response: DecodeResponse;
  try {
    const start = performance.now();
    const image = await decodeImageFile(new Uint8Array(bytes), { codecs: browserCodecProvider });
    const decodeMs = performance.now() - start;
    response = { id, ok: true, image, sha256, decodeMs };
    const transfer = image.frames.map((f) => f.buffer).filter((b, i, all) => all.indexOf(b) === i) as ArrayBuffer[];
    scope.postMessage(response, transfer);
  } catch (error) {
    response = { id, ok: false, error: toSerializedError(error, 'DICOM_DECODE_FAILED'), sha256 };
    scope.postMessage(response);
  }
};
