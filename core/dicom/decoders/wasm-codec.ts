/**
 * Frame decoders backed by the cornerstone WASM codecs: JPEG baseline (libjpeg-turbo), JPEG-LS
 * (CharLS), JPEG 2000 (OpenJPEG) and HTJ2K (OpenJPH). They share one shape: check the
 * codestream's declared size, decode on a fresh decoder that is always freed, copy the output
 * out of WASM memory, check its size, interleave planar output.
 */
import { RadLocalError } from '../../errors/radlocal-error.ts';
import type { CodecName } from '../codec-provider.ts';
import { withDecoder, type WasmDecoder } from '../codec-loader.ts';
import { readJ2kHeader, readJpegHeader, type CodestreamHeader } from '../codestream-headers.ts';
import type { PhotometricInterpretation } from '../decoded-image.ts';
import type { DecodedFrame, DecoderContext, FrameDecoder, FrameInfo } from '../frame-info.ts';
import { interleavePlanar, pixelsFromLittleEndian, signExtendInPlace } from '../pixel-arrays.ts';
import { checkCodestreamHeader, checkDecodedSize } from './codec-output.ts';

interface WasmCodecSpec {
  codec: CodecName;
  /** Human name of the compression, for messages. */
  kind: string;
  readHeader: (frame: Uint8Array) => CodestreamHeader | undefined;
  /** Colour the codec's output is in, given the stored photometric interpretation. */
  outputPhotometric: (stored: PhotometricInterpretation, samplesPerPixel: number) => PhotometricInterpretation;
  /** True when a decoder reports planar output for this frame (CharLS with interleave mode "none"). */
  isPlanar?: (decoder: WasmDecoder & { getInterleaveMode?: () => number }) => boolean;
}

function createWasmCodecDecoder(spec: WasmCodecSpec): FrameDecoder {
  return async (frame: Uint8Array, info: FrameInfo, context: DecoderContext): Promise<DecodedFrame> => {
    const header = checkCodestreamHeader(spec.readHeader(frame), info, spec.kind);
    const containerBits = info.bitsAllocated;
    if (info.isFloat || containerBits === 1 || containerBits > 16 || header.precision > 16) {
      throw new RadLocalError('DICOM_DECODE_FAILED', `${spec.kind} of ${header.precision}-bit samples in a ${containerBits}-bit container is not supported.`);
    }
    if (header.precision > containerBits) {
      // Writing them into the smaller container would silently cut every sample.
      throw new RadLocalError('DICOM_DECODE_FAILED', `The ${spec.kind} codestream holds ${header.precision}-bit samples, but Bits Allocated is only ${containerBits}.`);
    }
    const out = await withDecoder(spec.codec, context.codecs, frame, (decoder) => {
      const fi = decoder.getFrameInfo();
      checkDecodedSize(fi.width, fi.height, fi.componentCount, info, spec.kind);
      const sampleBytes = fi.bitsPerSample > 8 ? 2 : 1;
      const decoded = decoder.getDecodedBuffer();
      const expected = fi.width * fi.height * fi.componentCount * sampleBytes;
      if (decoded.length < expected) {
        throw new RadLocalError('DICOM_DECODE_FAILED', `The ${spec.kind} decoder returned ${decoded.length} bytes, expected ${expected}.`);
      }
      const planar = spec.isPlanar?.(decoder) ?? false;
      // pixelsFromLittleEndian copies, so nothing points into WASM memory after delete().
      return { pixels: pixelsFromLittleEndian(decoded.subarray(0, expected), info, sampleBytes), planar };
    });
    let pixels = signExtendInPlace(out.pixels, info);
    if (out.planar && info.samplesPerPixel > 1) pixels = interleavePlanar(pixels, info.samplesPerPixel);
    return { pixels, photometricInterpretation: spec.outputPhotometric(info.photometricInterpretation, info.samplesPerPixel) };
  };
}

/**
 * JPEG 2000 codecs undo the codestream's component transform (RCT/ICT), so YBR_RCT / YBR_ICT
 * come out as RGB; YBR_FULL stored without a J2K transform stays YBR_FULL (converted later).
 */
const j2kOutput = (stored: PhotometricInterpretation, spp: number): PhotometricInterpretation =>
  spp === 3 && (stored === 'YBR_RCT' || stored === 'YBR_ICT') ? 'RGB' : stored;

/** JPEG baseline 8-bit, one component: libjpeg-turbo. (Colour: ./jpeg-baseline.ts.) */
export const decodeJpegBaselineGrey = createWasmCodecDecoder({
  codec: 'libjpeg-turbo-8bit',
  kind: 'JPEG baseline',
  readHeader: readJpegHeader,
  outputPhotometric: (stored) => stored,
});

/** JPEG-LS lossless and near-lossless (no colour transform: output is in the stored colour space). */
export const decodeJpegLs = createWasmCodecDecoder({
  codec: 'charls',
  kind: 'JPEG-LS',
  readHeader: readJpegHeader,
  outputPhotometric: (stored) => stored,
  isPlanar: (decoder) => decoder.getInterleaveMode?.() === 0,
});

/** JPEG 2000 lossless and lossy (OpenJPEG applies the RCT/ICT component transform). */
export const decodeJpeg2000 = createWasmCodecDecoder({
  codec: 'openjpeg',
  kind: 'JPEG 2000',
  readHeader: readJ2kHeader,
  outputPhotometric: j2kOutput,
});

/** High-throughput JPEG 2000 (OpenJPH applies the component transform). */
export const decodeHtj2k = createWasmCodecDecoder({
  codec: 'openjph',
  kind: 'HTJ2K',
  readHeader: readJ2kHeader,
  outputPhotometric: j2kOutput,
});
