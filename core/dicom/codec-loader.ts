/**
 * Lazy, cached loading of the emscripten WASM codecs. Each codec's JS is imported on first
 * use (so a page that never meets a JPEG 2000 never downloads openjpeg) and instantiated once.
 * The modules' console output (openjpeg prints `[INFO]` on every decode) is captured instead
 * of printed; the last lines are kept so a failed decode can say what the codec complained of.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { CodecName, CodecProvider } from './codec-provider.ts';

/** The part of an emscripten-embind decoder class the project uses (same shape across the four codecs). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete(): void;
}

export interface CodecModule {
  /** Creates a fresh decoder; the caller must call `delete()` on it. */
  createDecoder(): WasmDecoder;
  /** The codec's recent log lines (newest last), for error messages. */
  recentLog(): string[];
}

interface EmscriptenOptions {
  locateFile?: (path: string, prefix: string) => string;
  print: (text: string) => void;
  printErr: (text: string) => void;
}
type EmscriptenFactory = (options: EmscriptenOptions) => Promise<Record<string, unknown>>;

interface CodecSpec {
  load: () => Promise<{ default: unknown }>;
  className: string;
}

const SPECS: Record<CodecName, CodecSpec> = {
  'libjpeg-turbo-8bit': {
    load: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
    className: 'JPEGDecoder',
  },
  charls: { load: () => import('@cornerstonejs/codec-charls/decodewasmjs'), className: 'JpegLSDecoder' },
  openjpeg: { load: () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'), className: 'J2KDecoder' },
  openjph: { load: () => import('@cornerstonejs/codec-openjph/wasmjs'), className: 'HTJ2KDecoder' },
};

const LOG_LINES = 8;
const cache = new Map<CodecName, Promise<CodecModule>>();

async function instantiate(name: CodecName, provider: CodecProvider | undefined): Promise<CodecModule> {
  const spec = SPECS[name];
  const log: string[] = [];
  const keep = (text: string): void => {
    log.push(text);
    if (log.length > LOG_LINES) log.shift();
  };
  const imported = await spec.load();
  const factory = imported.default as EmscriptenFactory;
  if (typeof factory !== 'function') {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The ${name} codec did not load: expected a module factory, got ${typeof factory}.`);
  }
  const options: EmscriptenOptions = { print: keep, printErr: keep };
  if (provider) {
    options.locateFile = (path, prefix) => provider.locateFile(name, path) ?? prefix + path;
  }
  const module = await factory(options);
  // The class is an embind constructor; its instances match WasmDecoder (checked by use).
  const DecoderClass = module[spec.className] as (new () => WasmDecoder) | undefined;
  if (typeof DecoderClass !== 'function') {
    throw new RadLocalError('DICOM_DECODE_FAILED', `The ${name} codec has no ${spec.className} class.`);
  }
  return { createDecoder: () => new DecoderClass(), recentLog: () => [...log] };
}

/** Resolves to the codec, loading and instantiating it on first use. A failed load is not cached. */
export function loadCodec(name: CodecName, provider: CodecProvider | undefined): Promise<CodecModule> {
  let pending = cache.get(name);
  if (!pending) {
    pending = instantiate(name, provider).catch((error: unknown) => {
      cache.delete(name);
      if (error instanceof RadLocalError) throw error;
      throw new RadLocalError('DICOM_DECODE_FAILED', `The ${name} image codec could not be loaded: ${String((error as Error)?.message ?? error)}`, { cause: error });
    });
    cache.set(name, pending);
  }
  return pending;
}

function isWasmFault(error: unknown): boolean {
  const RuntimeError = (globalThis as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly?.RuntimeError;
  if (RuntimeError && error instanceof RuntimeError) return true;
  return error instanceof Error && /abort/i.test(error.message);
}

/**
 * Runs one decode on a fresh decoder and always frees it. `read` copies what it needs out of
 * WASM memory (views into the heap die with the decoder).
 */
export async function withDecoder<T>(
  name: CodecName,
  provider: CodecProvider | undefined,
  encoded: Uint8Array,
  read: (decoder: WasmDecoder) => T,
): Promise<T> {
  const codec = await loadCodec(name, provider);
  let decoder: WasmDecoder | undefined;
  try {
    decoder = codec.createDecoder();
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    return read(decoder);
  } catch (error) {
    if (error instanceof RadLocalError) throw error;
    // After a WASM trap or abort() the emscripten module's state is undefined: instantiate afresh next time.
    if (isWasmFault(error)) cache.delete(name);
    const detail = error instanceof Error ? error.message : typeof error === 'number' ? `code ${error}` : String(error);
    const log = codec.recentLog().filter((line) => !line.startsWith('[INFO]')).slice(-2).join(' ');
    throw new RadLocalError('DICOM_DECODE_FAILED', `The ${name} codec could not decode this image (${detail}${log ? `; ${log}` : ''}).`, { cause: error });
  } finally {
    try {
      decoder?.delete();
    } catch {
      cache.delete(name); // freeing failed: the module's heap is damaged, start afresh next time
    }
  }
}
