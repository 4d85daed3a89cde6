/**
 * `npm run bench -- decode [--runs N]`: median milliseconds per frame (decodeDicom + min/max of
 * the frame) for one synthetic 512×512 16-bit image (12 bits used) in every transfer syntax, in
 * Node. The files are built here by encoding the image with the npm encoders (JPEG-LS: CharLS,
 * JPEG 2000: OpenJPEG, HTJ2K: OpenJPH, JPEG baseline: libjpeg-turbo on an 8-bit copy), our own
 * RLE and JPEG lossless SV1 encoders, and — when dcmtk is installed — dcmcjpeg for the 12-bit
 * DCT processes (+ee extended, +es spectral selection, +ep full progression) and +e1; without
 * dcmtk, JPEG Extended 12-bit uses pydicom's JPGExtended.dcm (1024×256). "JPEG 2000 codec
 * alone" times OpenJPEG's decode() on the same codestream without any DICOM around it, so the
 * share of the JPEG 2000 figure that is the codec's shows side by side. Prints JSON with the
 * target for each syntax and the ratio to native explicit little endian, measured in the same
 * run, and the load average (the machine is shared).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCodec } from '../core/dicom/codec-loader.ts';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import { minMax } from '../core/dicom/frame-statistics.ts';
import * as UID from '../core/dicom/transfer-syntax-uids.ts';
import { encodeHtj2k, encodeJ2k, encodeJpegBaseline, encodeJpegLosslessSv1, encodeJpegLs, type RawImage } from '../test/dicom-encoders.ts';
import { buildDicom, bytesOf, encodeRleFrame, imagePixelElements } from '../test/dicom-test-files.ts';
import { pydicomDir } from '../test/fixtures/external-fixtures.ts';
import { missingReferenceTools } from '../test/helpers/reference-tools.ts';

const SIZE = 512;

/** A CT-like test image: smooth anatomy-ish structures, edges and texture, values 0…4095. */
function syntheticImage(): Uint16Array {
  const out = new Uint16Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const r = Math.hypot(x - SIZE / 2, y - SIZE / 2);
      const body = r < 220 ? 1000 : 0;
      const organ = Math.hypot(x - 200, y - 260) < 60 ? 400 : 0;
      const texture = 80 * Math.sin(x / 9) * Math.cos(y / 13) + ((x * 131 + y * 71) % 37);
      out[y * SIZE + x] = Math.max(0, Math.min(4095, Math.round(body + organ + texture + 100)));
    }
  }
  return out;
}

interface Case {
  name: string;
  uid: string;
  /** Target median ms per frame from issue 2, when there is one. */
  targetMs?: number;
  source: string;
  file: Uint8Array;
  /** Times something other than decodeDicom(file) (the codec alone). */
  time?: () => Promise<number>;
}

/** dcmcjpeg's encodings of the native file, when dcmtk is installed (else an empty list). */
function dcmtkCases(native: Uint8Array): Case[] {
  if (missingReferenceTools(['dcmcjpeg']).length > 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'radlocal-bench-decode-'));
  try {
    writeFileSync(join(dir, 'native.dcm'), native);
    const encode = (option: string): Uint8Array => {
      execFileSync('dcmcjpeg', [option, join(dir, 'native.dcm'), join(dir, `${option.slice(1)}.dcm`)], { stdio: 'pipe' });
      return new Uint8Array(readFileSync(join(dir, `${option.slice(1)}.dcm`)));
    };
    return [
      { name: 'JPEG Extended 12-bit', uid: UID.JPEG_EXTENDED_12BIT, source: 'dcmcjpeg +ee (quality 90)', file: encode('+ee') },
      { name: 'JPEG Spectral Selection 12-bit', uid: UID.JPEG_SPECTRAL_SELECTION, source: 'dcmcjpeg +es', file: encode('+es') },
      { name: 'JPEG Full Progression 12-bit', uid: UID.JPEG_FULL_PROGRESSION, source: 'dcmcjpeg +ep', file: encode('+ep') },
      { name: 'JPEG Lossless SV1 (dcmtk)', uid: UID.JPEG_LOSSLESS_SV1, targetMs: 30, source: 'dcmcjpeg +e1 (optimised Huffman tables)', file: encode('+e1') },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function buildCases(): Promise<Case[]> {
  const pixels = syntheticImage();
  const raw: RawImage = { pixels, width: SIZE, height: SIZE, components: 1 };
  const elements = imagePixelElements({ rows: SIZE, columns: SIZE, bitsAllocated: 16, bitsStored: 12 });
  const encapsulated = (uid: string, fragment: Uint8Array): Uint8Array => buildDicom({ transferSyntaxUID: uid, elements, pixels: { fragments: [fragment] } });
  const bigEndianPixels = bytesOf(pixels);
  for (let i = 0; i < bigEndianPixels.length; i += 2) [bigEndianPixels[i], bigEndianPixels[i + 1]] = [bigEndianPixels[i + 1]!, bigEndianPixels[i]!];
  const eight = Uint8Array.from(pixels, (v) => v >> 4);
  const jpegLossless = encodeJpegLosslessSv1(pixels, SIZE, SIZE, 12);
  const htj2k = await encodeHtj2k(raw);
  const j2k = await encodeJ2k(raw);
  const openjpeg = await loadCodec('openjpeg', undefined);
  const native = buildDicom({ elements: [...elements, { tag: 0x00080060, vr: 'CS', value: 'CT' }], pixels: { native: bytesOf(pixels) } });
  const dcmtk = dcmtkCases(native);
  return [
    { name: 'Explicit VR Little Endian', uid: UID.EXPLICIT_VR_LITTLE_ENDIAN, targetMs: 5, source: 'native', file: buildDicom({ elements, pixels: { native: bytesOf(pixels) } }) },
    { name: 'Explicit VR Big Endian', uid: UID.EXPLICIT_VR_BIG_ENDIAN, targetMs: 5, source: 'native, data set written big endian', file: buildDicom({ transferSyntaxUID: UID.EXPLICIT_VR_BIG_ENDIAN, encoding: 'big', elements, pixels: { native: bigEndianPixels } }) },
    { name: 'Deflated Explicit VR Little Endian', uid: UID.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, source: 'fflate deflateSync', file: buildDicom({ transferSyntaxUID: UID.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, encoding: 'deflated', elements, pixels: { native: bytesOf(pixels) } }) },
    { name: 'RLE Lossless', uid: UID.RLE_LOSSLESS, targetMs: 30, source: 'own PackBits encoder (test/dicom-test-files.ts)', file: encapsulated(UID.RLE_LOSSLESS, encodeRleFrame(pixels, SIZE, SIZE, 1)) },
    { name: 'JPEG Lossless SV1', uid: UID.JPEG_LOSSLESS_SV1, targetMs: 30, source: 'own SV1 encoder (test/dicom-encoders.ts)', file: encapsulated(UID.JPEG_LOSSLESS_SV1, jpegLossless) },
    { name: 'JPEG Lossless process 14', uid: UID.JPEG_LOSSLESS_PROCESS_14, targetMs: 30, source: 'same SV1 stream', file: encapsulated(UID.JPEG_LOSSLESS_PROCESS_14, jpegLossless) },
    { name: 'JPEG-LS Lossless', uid: UID.JPEG_LS_LOSSLESS, targetMs: 30, source: 'CharLS (codec-charls) NEAR=0', file: encapsulated(UID.JPEG_LS_LOSSLESS, await encodeJpegLs(raw)) },
    { name: 'JPEG-LS Near-Lossless', uid: UID.JPEG_LS_NEAR_LOSSLESS, targetMs: 30, source: 'CharLS NEAR=3', file: encapsulated(UID.JPEG_LS_NEAR_LOSSLESS, await encodeJpegLs(raw, 3)) },
    { name: 'JPEG 2000 Lossless', uid: UID.JPEG_2000_LOSSLESS, targetMs: 60, source: 'OpenJPEG (codec-openjpeg), reversible', file: encapsulated(UID.JPEG_2000_LOSSLESS, j2k) },
    { name: 'JPEG 2000', uid: UID.JPEG_2000, targetMs: 60, source: 'OpenJPEG reversible stream under the lossy UID', file: encapsulated(UID.JPEG_2000, j2k) },
    {
      name: 'JPEG 2000 codec alone',
      uid: UID.JPEG_2000_LOSSLESS,
      source: "OpenJPEG decode() of the same codestream, no DICOM parsing, checks or copies: the codec's share",
      file: j2k,
      time: async () => {
        const start = performance.now();
        const decoder = openjpeg.createDecoder();
        try {
          decoder.getEncodedBuffer(j2k.length).set(j2k);
          decoder.decode();
          decoder.getDecodedBuffer();
        } finally {
          decoder.delete();
        }
        return performance.now() - start;
      },
    },
    { name: 'HTJ2K Lossless', uid: UID.HTJ2K_LOSSLESS, source: 'OpenJPH (codec-openjph), reversible', file: encapsulated(UID.HTJ2K_LOSSLESS, htj2k) },
    { name: 'HTJ2K', uid: UID.HTJ2K, source: 'same OpenJPH stream', file: encapsulated(UID.HTJ2K, htj2k) },
    {
      name: 'JPEG Baseline 8-bit',
      uid: UID.JPEG_BASELINE_8BIT,
      source: 'libjpeg-turbo quality 90, 8-bit copy of the image',
      file: buildDicom({ transferSyntaxUID: UID.JPEG_BASELINE_8BIT, elements: imagePixelElements({ rows: SIZE, columns: SIZE, bitsAllocated: 8 }), pixels: { fragments: [await encodeJpegBaseline({ pixels: eight, width: SIZE, height: SIZE, components: 1 })] } }),
    },
    ...(dcmtk.length > 0
      ? dcmtk
      : [
          {
            name: 'JPEG Extended 12-bit',
            uid: UID.JPEG_EXTENDED_12BIT,
            source: 'real file: pydicom JPGExtended.dcm, 1024×256 (same pixel count as 512²); dcmtk not installed',
            file: new Uint8Array(readFileSync(join(pydicomDir(), 'JPGExtended.dcm'))),
          },
        ]),
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeOnce(file: Uint8Array): Promise<number> {
  const start = performance.now();
  const image = await decodeDicom(file);
  const range = minMax(image.frames[0]!);
  const ms = performance.now() - start;
  if (!range) throw new Error('empty frame');
  return ms;
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 21;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`Expected --runs to be a positive integer, but got ${args[at + 1]}`);
  const cases = await buildCases();
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const time = (c: Case): Promise<number> => (c.time ? c.time() : timeOnce(c.file));
  for (const c of cases) for (let i = 0; i < 3; i++) await time(c); // warm: codec load, JIT
  // Interleave the cases run by run so machine noise spreads over all of them alike.
  for (let r = 0; r < runs; r++) for (const c of cases) samples.get(c.name)!.push(await time(c));
  const native = median(samples.get(cases[0]!.name)!);
  const results = cases.map((c) => {
    const ms = median(samples.get(c.name)!);
    return {
      transferSyntax: c.name,
      uid: c.uid,
      medianMsPerFrame: Math.round(ms * 100) / 100,
      /** The fastest run: what the decode costs when the shared machine leaves the core alone. */
      minMsPerFrame: Math.round(Math.min(...samples.get(c.name)!) * 100) / 100,
      targetMs: c.targetMs ?? null,
      meetsTargetAtMedian: c.targetMs === undefined ? null : ms <= c.targetMs,
      ratioToNative: Math.round((ms / native) * 10) / 10,
      fileBytes: c.file.length,
      source: c.source,
    };
  });
  const report = {
    image: `${SIZE}×${SIZE}, 16-bit allocated, 12 bits stored, 1 frame`,
    measure: 'decodeDicom(file) + min/max over the frame, median of runs after 3 warm-ups',
    runs,
    node: process.version,
    /** The machine is shared: medians move with load, minima estimate the unloaded cost. */
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 10) / 10),
    cpus: cpus().length,
    results,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
