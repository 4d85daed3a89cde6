/** Messages between the page and the inference worker. */
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { ModelCard } from '../../../../core/model/model-card.ts';
import type { Prediction } from '../../../../core/model/predict.ts';
import type { FitGeometry } from '../../../../core/preprocess/fit-geometry.ts';
import type { OodHeader } from '../../../../core/model/ood.ts';
import type { PreprocessParams } from '../../../../core/preprocess/params.ts';
import type { ModelInput } from '../decode/decode-messages.ts';

export type BackendName = 'wasm' | 'webgl' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface BackendTrial {
  backend: BackendName;
  /**
   * Warm inference time, ms: a probe's second run with CAM; for the first backend adopted, the
   * fastest of its predictions since its second, or its warm-up run when that was faster.
   * Undefined when the backend failed (`error`), or — adopted without a blank warm-up because an
   * image was waiting — until its second prediction.
   */
  warmMs?: number;
  error?: string;
}

export type ModelStatus =
  /** `preprocessing`: the card's, once its files are verified (the decode workers can preprocess while the model is built). */
  | { state: 'loading'; preprocessing?: PreprocessParams }
  | { state: 'error'; error: SerializedError }
  | {
      state: 'ready';
      card: ModelCard;
      modelSha256: string;
      backend: BackendName;
      trials: BackendTrial[];
      /** Fetch + verify + build + warm-up of the chosen backend, ms. */
      loadMs: number;
      /** When each cold-start stage ended, ms since the page's navigation start (bench web). */
      stages?: Record<string, number>;
    };

export type InferenceRequest =
  /** `navigationStart`: the page's performance.timeOrigin (the worker reports its stages on the page's clock). */
  | { type: 'init'; modelUrl: string; backend: BackendChoice; navigationStart: number }
  /** `image` carries only the frame to analyse (frames.length === 1). */
  /** `cam` false skips the activation maps (worklist triage: scores only). */
  | { type: 'predict'; id: number; image: DecodedImage; cam?: boolean }
  /** A model input preprocessed in a decode worker, with the image's header for the OOD check. */
  | { type: 'predict-input'; id: number; input: ModelInput; header: OodHeader; cam?: boolean }
  | { type: 'preprocess'; id: number; image: DecodedImage };

export type InferenceResponse =
  | { type: 'status'; status: ModelStatus }
  /** The ready model's backend trials changed (a warm time measured): the rest of its status is unchanged. */
  | { type: 'trials'; trials: BackendTrial[] }
  | { type: 'prediction'; id: number; ok: true; prediction: Prediction }
  | { type: 'prediction'; id: number; ok: false; error: SerializedError }
  | { type: 'preprocessed'; id: number; ok: true; data: Float32Array; geometry: FitGeometry }
  | { type: 'preprocessed'; id: number; ok: false; error: SerializedError };
