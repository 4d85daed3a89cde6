/**
 * Minimal RFC 4180 CSV parsing (quoted fields, doubled quotes, CRLF, UTF-8 BOM) for dataset
 * manifests. Returns the header and the rows as records keyed by header name.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || (row[0] ?? '') !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface CsvTable {
  header: string[];
  records: Record<string, string>[];
}

/** Parses a CSV with a header line; every row must have as many fields as the header. */
export function parseCsv(text: string, fileName: string): CsvTable {
  const rows = parseCsvRows(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header.length === 0) throw new RadLocalError('DATASET_INVALID', `Expected a header line in ${fileName}, but the file is empty.`);
  const records = rows.slice(1).map((row, k) => {
    if (row.length !== header.length) {
      throw new RadLocalError(
        'DATASET_INVALID',
        `Expected ${header.length} fields on line ${k + 2} of ${fileName} (as in its header), but got ${row.length}.`,
      );
    }
    const record: Record<string, string> = {};
    header.forEach((h, j) => (record[h] = (row[j] ?? '').trim()));
    return record;
  });
  return { header, records };
}
