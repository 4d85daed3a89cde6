import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pydicomDir, REPO_ROOT } from '../../../../test/fixtures/external-fixtures.ts';
import references from '../../../../test/dicom-pydicom-references.json' with { type: 'json' };
import { JPEG_BASELINE_8BIT } from '../../../../core/dicom/transfer-syntax-uids.ts';
import { encodeJpegBaseline } from '../../../../test/dicom-encoders.ts';
import { buildDicom, imagePixelElements } from '../../../../test/dicom-test-files.ts';
import { inspectFile } from './inspect.ts';

const KEYS = ['file', 'ok', 'transferSyntaxUID', 'modality', 'photometric', 'rows', 'columns', 'frames', 'bitsStored', 'min', 'max', 'pixelSha256', 'warnings'];

describe('radlocal inspect', () => {
  it('reports the contract fields with min/max/sha256 of frame 0 matching pydicom', async () => {
    const ref = (references as Record<string, { min: number; max: number; sha256: string }>)['rtdose.dcm']!;
    const record = await inspectFile(join(pydicomDir(), 'rtdose.dcm'));
    expect(record).toEqual({
      file: join(pydicomDir(), 'rtdose.dcm'),
      ok: true,
      transferSyntaxUID: '1.2.840.10008.1.2',
      modality: 'RTDOSE',
      photometric: 'MONOCHROME2',
      rows: 10,
      columns: 10,
      frames: 15,
      bitsStored: 32,
      min: ref.min,
      max: ref.max,
      pixelSha256: ref.sha256,
      warnings: [],
    });
  });

  it('warns when the codestream disagrees with the transfer syntax, and decodes what the codestream declares', async () => {
    const grey = Uint8Array.from({ length: 64 * 48 }, (_, i) => (i * 7) % 256);
    const progressive = await encodeJpegBaseline({ pixels: grey, width: 64, height: 48, components: 1 }, true);
    const file = join(mkdtempSync(join(tmpdir(), 'radlocal-inspect-')), 'progressive-labelled-baseline.dcm');
    writeFileSync(file, buildDicom({ transferSyntaxUID: JPEG_BASELINE_8BIT, elements: imagePixelElements({ rows: 48, columns: 64, bitsAllocated: 8 }), pixels: { fragments: [progressive] } }));
    const record = await inspectFile(file);
    expect(record).toMatchObject({ ok: true, transferSyntaxUID: JPEG_BASELINE_8BIT, rows: 48, columns: 64 });
    expect(record.warnings).toEqual([
      'The transfer syntax says JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50), but the pixel data is JPEG progressive (SOF2); RadLocal decoded it as the codestream declares.',
    ]);
  });

  it('prints one JSON line per file and exits 1 when a file fails', () => {
    const files = [join(pydicomDir(), 'MR_small_RLE.dcm'), join(pydicomDir(), 'rtplan.dcm')];
    let stdout: string;
    let status = 0;
    try {
      stdout = execFileSync(process.execPath, [join(REPO_ROOT, 'training/bin/radlocal.mjs'), 'inspect', '--json', ...files], { encoding: 'utf8' });
    } catch (error) {
      const e = error as { stdout: string; status: number };
      stdout = e.stdout;
      status = e.status;
    }
    expect(status).toBe(1);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)).toEqual(KEYS);
    expect(lines[0]).toMatchObject({ ok: true, transferSyntaxUID: '1.2.840.10008.1.2.5', rows: 64, columns: 64, min: 127, max: 2145 });
    expect(lines[1]).toMatchObject({ ok: false, error: { code: 'DICOM_NO_PIXEL_DATA' }, rows: null, pixelSha256: null });
  });
});
