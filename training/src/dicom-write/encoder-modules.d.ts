// The cornerstone codec packages ship no type declarations. These full builds (decoder and
// encoder) are emscripten modules whose default export is the module factory;
// wasm-encoders.ts describes the part it uses.
declare module '@cornerstonejs/codec-charls/wasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  const factory: unknown;
  export default factory;
}
