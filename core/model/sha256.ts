/**
 * SHA-256 through Web Crypto (`globalThis.crypto.subtle`), present in Node ≥ 20, browsers and
 * Web Workers — so model integrity checks run identically on both sides.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

/** @return the lowercase hex SHA-256 of `bytes` (64 characters). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new RadLocalError('INTERNAL', 'Expected Web Crypto (crypto.subtle) to hash model files, but this environment has none.');
  }
  // digest() needs an ArrayBuffer-backed view; copy when the view is over a SharedArrayBuffer or a slice.
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', view));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
