/** What the codec-check worker reports for one file. */
export interface CodecCheckResult {
  ok: boolean;
  code?: string;
  message?: string;
  rows?: number;
  columns?: number;
  photometric?: string;
  min?: number;
  max?: number;
  /** SHA-256 (hex) of frame 0's typed array bytes, comparable with Node's. */
  sha256?: string;
}
