/**
 * Typed errors with stable codes. Every error that can reach a user (CLI, viewer, worker)
 * is a RadLocalError whose `code` is one of ERROR_CODES and whose `message` is a sentence
 * a radiologist understands. Codes are a public contract: never rename one.
 */
export const ERROR_CODES = [
  'DICOM_NOT_DICOM',
  'DICOM_TRUNCATED',
  'DICOM_NO_PIXEL_DATA',
  'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
  'DICOM_PIXEL_LENGTH_MISMATCH',
  'DICOM_DECODE_FAILED',
  'DICOM_INVALID_ATTRIBUTE',
  'IMAGE_DECODE_FAILED',
  'INPUT_TOO_LARGE',
  'PREPROCESS_INVALID_PARAMS',
  'MODEL_CARD_INVALID',
  'MODEL_INTEGRITY_MISMATCH',
  'MODEL_LOAD_FAILED',
  'MODEL_INPUT_MISMATCH',
  'MODEL_SIGNATURE_MISSING',
  'MODEL_OUTPUT_UNSUPPORTED',
  'DATASET_INVALID',
  'DATASET_BAD_FILES',
  'EVAL_SPLIT_CHANGED',
  'CLI_USAGE',
  'BACKEND_UNAVAILABLE',
  'TRAINING_WORKER_FAILED',
  'PACS_NOT_CONFIGURED',
  'PACS_UNREACHABLE',
  'PACS_AUTH_FAILED',
  'PACS_REFUSED',
  'SITE_PROFILE_INVALID',
  'SITE_PROFILE_MISMATCH',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
}

export class RadLocalError extends Error {
  readonly code: ErrorCode;
  /** Structured context for logs and tests (never patient data). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RadLocalError';
    this.code = code;
    this.details = options?.details;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }
}

export function isRadLocalError(value: unknown): value is RadLocalError {
  return value instanceof RadLocalError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Turns anything thrown into a serialisable typed error. Unknown errors become INTERNAL with
 * the original message kept (it never contains pixel data).
 */
export function toSerializedError(error: unknown, fallback: ErrorCode = 'INTERNAL'): SerializedError {
  if (error instanceof RadLocalError) return error.toJSON();
  if (typeof error === 'object' && error !== null && isErrorCode((error as { code?: unknown }).code)) {
    const e = error as { code: ErrorCode; message?: unknown };
    return { code: e.code, message: String(e.message ?? e.code) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallback, message: `Unexpected error: ${message}` };
}
