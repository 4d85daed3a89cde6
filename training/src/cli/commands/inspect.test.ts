import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pydicomDir, REPO_ROOT } from '../../../../test/fixtures/external-fixtures.ts';
import references from '../../../../test/dicom-pydicom-references.json' with { type: 'json' };
import { inspectFile } from './inspect.ts';

const KEYS = ['file', 'ok', 'transferSyntaxUID', 'modality', 'photometric', 'rows', 'columns', 'frames', 'bitsStored', 'min', 'max', 'pixelSha256'];

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
    });
  });

  it('prints one JSON line per file and exits 1 when a file fails', () => {
    const files = [join(pydicomDir(), 'MR_small_RLE.dcm'), join(pydicomDir(), 'rtplan.dcm')];
    let stdout = '';
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
