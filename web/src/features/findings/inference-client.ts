/**
 * Page side of the inference worker: starts it once with the default model, mirrors its
 * model status into modelStore, and turns requests into promises.
 */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import type { FitGeometry } from '../../../../core/preprocess/fit-geometry.ts';
import { adoptInferenceWorker } from './boot-inference-worker.ts';
import type { InferenceRequest, InferenceResponse } from '../../shared/findings/inference-messages.ts';
import type { ModelInput } from '../../shared/decode/decode-messages.ts';
import { oodHeaderOf, type OodHeader } from '../../../../core/model/ood.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';
import type { TriageResult } from '../../shared/decode/decode-client.ts';
import { MODEL_SETTLED_EVENT } from '../../shared/findings/model-settled-event.ts';
import { modelStore } from '../../shared/findings/model-store.ts';
import { observeWorkerRequests } from '../../shared/privacy/network-log.ts';

type Settle = { resolve: (value: never) => void; reject: (error: RadLocalError) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Settle>();

function getWorker(): Worker {
  // Started by boot-inference-worker.ts before the app loaded (init already posted); its early messages are replayed after this attaches.
  worker ??= adoptInferenceWorker((started) => {
    started.onmessage = (event: MessageEvent<InferenceResponse>) => {
      const message = event.data;
      if (message.type === 'status') {
        modelStore.set(() => message.status);
        if (message.status.state !== 'loading') window.dispatchEvent(new Event(MODEL_SETTLED_EVENT));
        return;
      }
      if (message.type === 'trials') {
        modelStore.set((s) => (s.state === 'ready' ? { ...s, trials: message.trials } : s));
        return;
      }
      if (message.type !== 'prediction' && message.type !== 'preprocessed') return; // audit messages
      const settle = pending.get(message.id);
      if (!settle) return;
      pending.delete(message.id);
      if (!message.ok) settle.reject(new RadLocalError(message.error.code, message.error.message));
      else if (message.type === 'prediction') (settle.resolve as (p: Prediction) => void)(message.prediction);
      else (settle.resolve as (p: { data: Float32Array; geometry: FitGeometry }) => void)({ data: message.data, geometry: message.geometry });
    };
    observeWorkerRequests(started);
    started.onerror = (event) => {
      modelStore.set(() => ({ state: 'error', error: { code: 'INTERNAL', message: `The inference worker stopped: ${event.message}` } }));
      for (const [id, settle] of pending) {
        settle.reject(new RadLocalError('INTERNAL', `The inference worker stopped: ${event.message}`));
        pending.delete(id);
      }
    };
  });
  return worker;
}

/** Starts the worker and the model load (idempotent). */
export function startInference(): void {
  getWorker();
}

/** The image with only `frame` kept, so only that frame is copied to the worker. */
function singleFrame(image: DecodedImage, frame: number): DecodedImage {
  const data = image.frames[frame];
  if (!data) throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', `Expected a frame ${frame + 1} of ${image.numberOfFrames}, but it is missing.`);
  return { ...image, frames: [data], numberOfFrames: 1 };
}

function request<T>(build: (id: number) => InferenceRequest, transfer: Transferable[] = []): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: never) => void, reject });
    getWorker().postMessage(build(id), transfer);
  });
}

/**
 * Predicts from an image that holds only the frame to analyse (as the decode worker hands it
 * over for triage); its pixels are transferred to the worker, not copied — `image` is
 * unusable afterwards, so the page keeps no decoded pixels for triage.
 * @param cam compute the activation maps (the image on screen) or not (scores only, the default).
 */
export function predictTransferred(image: DecodedImage, cam = false): Promise<Prediction> {
  if (image.frames.length !== 1) throw new RadLocalError('INTERNAL', `Expected an image with one frame, but got ${image.frames.length}.`);
  const transfer = [(image.frames[0] as DecodedImage['frames'][number]).buffer as ArrayBuffer];
  return request<Prediction>((id) => ({ type: 'predict', id, image, cam }), transfer);
}

/**
 * Predicts from a model input a decode worker preprocessed (triage); its data is transferred.
 * @param header the image's header values for the OOD check (modality, body part, photometric).
 */
export function predictInput(input: ModelInput, header: OodHeader, cam = false): Promise<Prediction> {
  return request<Prediction>((id) => ({ type: 'predict-input', id, input, header, cam }), [input.data.buffer as ArrayBuffer]);
}

/**
 * The model card's preprocessing parameters, known once its files are verified (before the model
 * is built and warmed): triage then asks the decode workers to preprocess.
 */
export function modelPreprocessing(): PreprocessParams | undefined {
  const status = modelStore.get();
  return status.state === 'ready' ? status.card.preprocessing : status.state === 'loading' ? status.preprocessing : undefined;
}

/** Predicts a triaged frame: from the model input its decode worker made, else from the frame. */
export function predictTriaged(triaged: TriageResult, cam = false): Promise<Prediction> {
  if (!('input' in triaged)) return predictTransferred(triaged.image, cam);
  return predictInput(triaged.input, oodHeaderOf(triaged.header), cam);
}

/** The model input for `frame` exactly as the worker computes it (Node ↔ browser parity checks). */
export function preprocessInWorker(image: DecodedImage, frame: number): Promise<{ data: Float32Array; geometry: FitGeometry }> {
  return request((id) => ({ type: 'preprocess', id, image: singleFrame(image, frame) }));
}
