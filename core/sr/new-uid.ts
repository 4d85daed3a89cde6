/**
 * A new DICOM UID under the 2.25 root (PS3.5 §B.2): "2.25." + a random 128-bit unsigned
 * integer in decimal (at most 39 digits, so the UID stays within 64 characters). Uses the Web
 * Crypto random source, present in Node and in browsers.
 */
export function newUid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return `2.25.${value.toString(10)}`;
}
