/**
 * The browser side of codec WASM location: Vite copies each codec's .wasm into the build with
 * a hashed name and gives us its URL through `?url`; core/dicom's codec loader asks this
 * provider (as emscripten's `locateFile`) when it instantiates a codec.
 *
 * Use from a Web Worker (or the page):
 *   decodeDicom(bytes, { codecs: browserCodecProvider })  // core/dicom/decode-dicom.ts
 *   decodeImageFile(bytes, { codecs: browserCodecProvider })  // core/image/decode-image-file.ts
 * The .wasm is fetched only when a file first needs that codec.
 */
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import libjpegTurboWasm from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjphWasm from '@cornerstonejs/codec-openjph/wasm?url';
import type { CodecName, CodecProvider } from '../../../../core/dicom/codec-provider.ts';

const WASM_URLS: Record<CodecName, string> = {
  'libjpeg-turbo-8bit': libjpegTurboWasm,
  charls: charlsWasm,
  openjpeg: openjpegWasm,
  openjph: openjphWasm,
};

export const browserCodecProvider: CodecProvider = {
  locateFile: (codec, fileName) => (fileName.endsWith('.wasm') ? WASM_URLS[codec] : undefined),
};
