/**
 * The Extended Offset Table (7FE0,0001/0002, PS3.5 A.4) on real multi-frame files written by a
 * reference tool at test time — pydicom (the fixture's own copy) re-encapsulates rtdose.dcm (15
 * frames) and a dcmcjpeg +e1 file, every frame in two fragments, Basic Offset Table empty — so
 * only the EOT can say where frames start. Control: the same file without the EOT is refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../core/dicom/decode-dicom.ts';
import * as UID from '../core/dicom/transfer-syntax-uids.ts';
import { buildDicom, bytesOf, imagePixelElements } from './dicom-test-files.ts';
import { pydicomDir } from './fixtures/external-fixtures.ts';
import { compareImages, radlocalOutcome, referenceOutcome } from './helpers/reference-compare.ts';
import { dcmcjpeg, missingReferenceTools, referenceDecodeBytes, skipMessage, workPath } from './helpers/reference-tools.ts';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'helpers', 'pydicom-extended-offset-table.py');
const PYDICOM_PATH = join(pydicomDir(), '..', '..', '..');
const missing = missingReferenceTools(['python3', 'dcmcjpeg', 'dcmdjpeg']);
if (!existsSync(join(PYDICOM_PATH, 'pydicom'))) missing.push('pydicom (test fixture)');
if (missing.length > 0) console.warn(`dicom-extended-offset-table: skipped, ${skipMessage(missing)}`);

function withExtendedOffsetTable(source: string, mode: 'native' | 'compressed' | 'native-no-eot'): Uint8Array {
  const output = workPath('eot.dcm');
  execFileSync('python3', [SCRIPT, source, output, mode], { env: { ...process.env, PYTHONPATH: PYDICOM_PATH, PYTHONWARNINGS: 'ignore' }, stdio: 'pipe' });
  return new Uint8Array(readFileSync(output));
}

(missing.length === 0 ? describe : describe.skip)('Extended Offset Table on real multi-frame files', () => {
  it('rtdose.dcm (15 frames) as Encapsulated Uncompressed with an EOT decodes to the same frames; without the EOT it is refused', async () => {
    const source = join(pydicomDir(), 'rtdose.dcm');
    const original = await decodeDicom(new Uint8Array(readFileSync(source)));
    const image = await decodeDicom(withExtendedOffsetTable(source, 'native'));
    expect(image.transferSyntaxUID).toBe(UID.ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN);
    expect(image.frames).toHaveLength(15);
    expect(compareImages(image, original).detail).toBe('identical');
    const frame9 = await decodeDicom(withExtendedOffsetTable(source, 'native'), { frames: [9] });
    expect(Array.from(frame9.frames[0]!)).toEqual(Array.from(original.frames[9]!));
    // 30 fragments of raw samples, no BOT, no EOT: nothing says which fragments form a frame.
    expect(await radlocalOutcome(withExtendedOffsetTable(source, 'native-no-eot'))).toEqual({ code: 'DICOM_PIXEL_LENGTH_MISMATCH' });
  });

  it('a 3-frame dcmcjpeg +e1 file re-encapsulated with an EOT decodes like dcmdjpeg decodes the original', async () => {
    const frames = 3;
    const pixels = Uint16Array.from({ length: 31 * 23 * frames }, (_, i) => (i * 97 + Math.floor(i / 713) * 1000) % 4096);
    const elements = [...imagePixelElements({ rows: 23, columns: 31, bitsAllocated: 16, bitsStored: 12, frames }), { tag: 0x00080060, vr: 'CS', value: 'OT' }];
    const encoded = await dcmcjpeg(buildDicom({ elements, pixels: { native: bytesOf(pixels) } }), ['+e1'], 'three-frames.dcm');
    const source = workPath('three-frames-e1.dcm');
    writeFileSync(source, encoded);
    const image = await decodeDicom(withExtendedOffsetTable(source, 'compressed'));
    const reference = await referenceOutcome(await referenceDecodeBytes(encoded, UID.JPEG_LOSSLESS_SV1, 'three-frames-ref.dcm'));
    expect('image' in reference && compareImages(image, reference.image).detail).toBe('identical');
    expect(image.frames).toHaveLength(3);
  });
});
