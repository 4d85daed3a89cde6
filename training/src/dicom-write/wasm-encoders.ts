/**
 * Lossless JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) encoders from the cornerstone WASM
 * codec packages' full builds (their `wasmjs` exports include the encoder classes). Loaded
 * once, on first use; every encoder instance is deleted after use.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
  isUsingColorTransform?: boolean;
}

/** The embind encoder classes' shared surface (checked by use in the round-trip tests). */
interface WasmEncoder {
  getDecodedBuffer(info: FrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
  setNearLossless?(n: number): void;
  setQuality?(lossless: boolean, quality: number): void;
}

type Factory = (options: { print: (t: string) => void; printErr: (t: string) => void }) => Promise<Record<string, unknown>>;

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function load(name: 'charls' | 'openjpeg'): Promise<Record<string, unknown>> {
  let pending = modules.get(name);
  if (!pending) {
    pending = (async () => {
      const imported = (name === 'charls' ? await import('@cornerstonejs/codec-charls/wasmjs') : await import('@cornerstonejs/codec-openjpeg/wasmjs')) as { default: Factory };
      const quiet = (): void => undefined; // openjpeg prints [INFO] lines on every call
      return imported.default({ print: quiet, printErr: quiet });
    })();
    modules.set(name, pending);
  }
  return pending;
}

async function encodeWith(
  name: 'charls' | 'openjpeg',
  className: string,
  pixels: Uint8Array | Uint16Array,
  rows: number,
  columns: number,
  bitsStored: number,
  configure: (e: WasmEncoder) => void,
): Promise<Uint8Array> {
  const module = await load(name);
  const Encoder = module[className] as (new () => WasmEncoder) | undefined;
  if (typeof Encoder !== 'function') throw new RadLocalError('INTERNAL', `The ${name} module has no ${className} class.`);
  const encoder = new Encoder();
  try {
    const target = encoder.getDecodedBuffer({ width: columns, height: rows, bitsPerSample: bitsStored, componentCount: 1, isSigned: false, isUsingColorTransform: false });
    target.set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    configure(encoder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** Lossless JPEG-LS codestream (transfer syntax 1.2.840.10008.1.2.4.80) of one unsigned monochrome frame. */
export function encodeJpegLsLossless(pixels: Uint8Array | Uint16Array, rows: number, columns: number, bitsStored: number): Promise<Uint8Array> {
  return encodeWith('charls', 'JpegLSEncoder', pixels, rows, columns, bitsStored, (e) => e.setNearLossless?.(0));
}

/** Reversible JPEG 2000 codestream (1.2.840.10008.1.2.4.90) of one unsigned monochrome frame. */
export function encodeJpeg2000Lossless(pixels: Uint8Array | Uint16Array, rows: number, columns: number, bitsStored: number): Promise<Uint8Array> {
  return encodeWith('openjpeg', 'J2KEncoder', pixels, rows, columns, bitsStored, (e) => e.setQuality?.(true, 0));
}
