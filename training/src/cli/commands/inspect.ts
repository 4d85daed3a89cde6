/**
 * `radlocal inspect FILE… [--json]`: decodes each file with the project's decoder
 * (core/image → core/dicom) and reports what it holds. With --json, one object per line:
 * {file, ok, error?: {code, message}, transferSyntaxUID, modality, photometric, rows, columns,
 * frames, bitsStored, min, max, pixelSha256, warnings} — min/max/sha256 over the first frame's
 * stored values after decoding, before any LUT (sha256 of the typed array's little-endian bytes);
 * warnings: conformance problems the decoder worked around (e.g. a codestream that disagrees
 * with the transfer syntax UID), [] when none.
 * Exit code 1 when any file failed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { littleEndianBytes, minMax } from '../../../../core/dicom/frame-statistics.ts';
import { RadLocalError, toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';

export const HELP = `Usage: radlocal inspect FILE… [--json]

Decodes DICOM, PNG or JPEG files and reports transfer syntax, modality, photometric
interpretation, size, frames, bits stored, min / max / SHA-256 of the first frame's
stored pixel values (after decoding, before any LUT), and warnings about conformance problems
the decoder worked around (e.g. a codestream that disagrees with the transfer syntax).

Options:
  --json   one JSON object per line per file
  --help   this text

Exit code: 0 when every file decoded, 1 when any failed, 2 for a usage error.`;

export interface InspectRecord {
  file: string;
  ok: boolean;
  error?: SerializedError;
  transferSyntaxUID: string | null;
  modality: string | null;
  photometric: string | null;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  bitsStored: number | null;
  min: number | null;
  max: number | null;
  pixelSha256: string | null;
  /** Conformance problems the decoder worked around, as sentences; [] when none. */
  warnings: string[];
}

const EMPTY: Omit<InspectRecord, 'file' | 'ok' | 'warnings'> = {
  transferSyntaxUID: null,
  modality: null,
  photometric: null,
  rows: null,
  columns: null,
  frames: null,
  bitsStored: null,
  min: null,
  max: null,
  pixelSha256: null,
};

export async function inspectFile(file: string): Promise<InspectRecord> {
  try {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new RadLocalError('IMAGE_DECODE_FAILED', `The file could not be read (${(error as Error).message}).`, { cause: error });
    }
    const image = await decodeImageFile(bytes);
    const first = image.frames[0];
    const range = first ? minMax(first) : undefined;
    return {
      file,
      ok: true,
      transferSyntaxUID: image.transferSyntaxUID ?? null,
      modality: image.modality ?? null,
      photometric: image.photometricInterpretation,
      rows: image.rows,
      columns: image.columns,
      frames: image.numberOfFrames,
      bitsStored: image.bitsStored,
      min: range?.min ?? null,
      max: range?.max ?? null,
      pixelSha256: first ? createHash('sha256').update(littleEndianBytes(first)).digest('hex') : null,
      warnings: image.warnings ?? [],
    };
  } catch (error) {
    return { file, ok: false, error: toSerializedError(error, 'DICOM_DECODE_FAILED'), ...EMPTY, warnings: [] };
  }
}

function table(records: InspectRecord[]): string {
  const header = ['file', 'status', 'transfer syntax', 'modality', 'photometric', 'size', 'frames', 'bits', 'min', 'max', 'sha256'];
  const rows = records.map((r) =>
    r.ok
      ? [r.file, 'ok', r.transferSyntaxUID ?? '-', r.modality ?? '-', r.photometric ?? '-', `${r.columns}×${r.rows}`, String(r.frames), String(r.bitsStored), String(r.min), String(r.max), (r.pixelSha256 ?? '').slice(0, 12)]
      : [r.file, r.error?.code ?? 'error', '', '', '', '', '', '', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const errors = records.filter((r) => !r.ok).map((r) => `${r.file}: [${r.error?.code}] ${r.error?.message}`);
  const warnings = records.flatMap((r) => r.warnings.map((w) => `${r.file}: warning: ${w}`));
  return [line(header), ...rows.map(line), ...(warnings.length ? ['', ...warnings] : []), ...(errors.length ? ['', ...errors] : [])].join('\n');
}

export async function run(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
  if (unknown.length > 0) throw new RadLocalError('CLI_USAGE', `Unknown option ${unknown[0]}.\n\n${HELP}`);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new RadLocalError('CLI_USAGE', `Expected at least one FILE.\n\n${HELP}`);
  const json = args.includes('--json');
  const records: InspectRecord[] = [];
  for (const file of files) {
    const record = await inspectFile(file);
    records.push(record);
    if (json) process.stdout.write(`${JSON.stringify(record)}\n`);
  }
  if (!json) process.stdout.write(`${table(records)}\n`);
  return records.every((r) => r.ok) ? 0 : 1;
}
