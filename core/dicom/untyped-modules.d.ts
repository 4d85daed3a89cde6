// The cornerstone codec packages ship no type declarations. Each subpath below is an
// emscripten module whose default export is the module factory; codec-loader.ts checks it at
// run time and describes the part it uses (WasmDecoder).
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: unknown;
  export default factory;
}
// jpeg-js 0.4.4 ships no types; lib/decoder.js exports one function (CommonJS).
declare module 'jpeg-js/lib/decoder.js' {
  interface JpegJsOptions {
    useTArray: boolean;
    formatAsRGBA: boolean;
    colorTransform?: boolean;
    tolerantDecoding?: boolean;
    maxResolutionInMP?: number;
    maxMemoryUsageInMB?: number;
  }
  function decode(data: Uint8Array, options: JpegJsOptions): { width: number; height: number; data: Uint8Array };
  export default decode;
}
