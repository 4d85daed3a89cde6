/**
 * Where the WASM codecs find their `.wasm` files.
 *
 * The cornerstone codec packages are emscripten modules. In Node they locate their `.wasm`
 * beside their own JS file by themselves, so no provider is needed there (pass none). In a
 * browser bundle the `.wasm` files get hashed URLs, so the caller passes a provider that maps
 * each codec's wasm to its URL (see web/src/shared/codecs/browser-codec-provider.ts, which
 * builds them from Vite `?url` imports).
 *
 * Each codec module is instantiated once per JS realm (one page or one worker) and cached;
 * the provider given with the first decode that needs a codec is the one used for it.
 */
export type CodecName = 'libjpeg-turbo-8bit' | 'charls' | 'openjpeg' | 'openjph';

export interface CodecProvider {
  /**
   * Returns the URL of `fileName` (the `.wasm` the emscripten module asks for) for `codec`, or
   * undefined to let the module use its default location.
   */
  locateFile(codec: CodecName, fileName: string): string | undefined;
}
