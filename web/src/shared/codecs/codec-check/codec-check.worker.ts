/** The codec-check worker: decodes with the real worker-side call (see core/dicom/decode-dicom.ts). */
import { decodeDicom } from '../../../../../core/dicom/decode-dicom.ts';
import { minMax } from '../../../../../core/dicom/frame-statistics.ts';
import { toSerializedError } from '../../../../../core/errors/radlocal-error.ts';
import { browserCodecProvider } from '../browser-codec-provider.ts';
import type { CodecCheckResult } from './codec-check-result.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

scope.onmessage = async (event: MessageEvent<{ id: number; bytes: Uint8Array }>) => {
  const { id, bytes } = event.data;
  let result: CodecCheckResult;
  try {
    const image = await decodeDicom(bytes, { codecs: browserCodecProvider });
    const frame = image.frames[0]!;
    const range = minMax(frame);
    result = {
      ok: true,
      rows: image.rows,
      columns: image.columns,
      photometric: image.photometricInterpretation,
      min: range?.min,
      max: range?.max,
      sha256: await hex(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)),
    };
  } catch (error) {
    const e = toSerializedError(error);
    result = { ok: false, code: e.code, message: e.message };
  }
  scope.postMessage({ id, ...result });
};
