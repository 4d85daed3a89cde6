/**
 * Worker thread body of the decode pool: receives {id, path, params}, answers
 * {id, ok, data, info} (buffer transferred) or {id, ok: false, error: {code, message}}.
 */
import { parentPort } from 'node:worker_threads';
import { toSerializedError } from '../../../core/errors/radlocal-error.ts';
import { preprocessFileWithInfo } from './decode-example.ts';
import type { DecodeRequest, DecodeResponse } from './decode-pool.ts';

const port = parentPort;
if (!port) throw new Error('decode-worker.ts must run in a worker thread');
port.on('message', (request: DecodeRequest) => {
  preprocessFileWithInfo(request.path, request.params).then(
    ({ data, info }) => port.postMessage({ id: request.id, ok: true, data, info } satisfies DecodeResponse, [data.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: toSerializedError(error, 'IMAGE_DECODE_FAILED') } satisfies DecodeResponse),
  );
});
