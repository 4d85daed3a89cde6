import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRows } from './csv.ts';

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes, commas and newlines inside quotes, CRLF and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3\n';
    expect(parseCsvRows(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('skips blank lines and reads a last line without newline', () => {
    expect(parseCsvRows('a,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('maps records by header and names the line of a short row', () => {
    expect(parseCsv('path,nodule\nx.png,1\n', 'm.csv').records).toEqual([{ path: 'x.png', nodule: '1' }]);
    expect(() => parseCsv('path,nodule\nx.png\n', 'm.csv')).toThrow(
      expect.objectContaining({ code: 'DATASET_INVALID', message: 'Expected 2 fields on line 2 of m.csv (as in its header), but got 1.' }),
    );
  });
});
