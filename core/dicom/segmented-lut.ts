/**
 * Segmented palette colour LUTs (PS3.3 C.7.9.2, Enhanced / Segmented Palette Color Lookup
 * Table Data (0028,1221–1223)): a list of segments, each a 16-bit opcode, a length and data —
 *
 *   0 discrete: `length` entries follow as they are;
 *   1 linear:   one value y1 follows; `length` entries step evenly from the previous segment's
 *               last entry to y1 (y0 + (y1 − y0)·k/length for k = 1…length, rounded half to
 *               even as pydicom does);
 *   2 indirect: a 32-bit byte offset follows (least significant word first); `length` segments
 *               starting at that offset of the data are replayed (not themselves indirect).
 *
 * Output length is bounded by the LUT Descriptor's entry count, so hostile data cannot grow it.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';

function malformed(message: string): never {
  throw new RadLocalError('DICOM_INVALID_ATTRIBUTE', `The segmented palette colour lookup table is malformed: ${message}`);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * @param words The segmented LUT data as 16-bit words.
 * @param entries Number of LUT entries (the LUT Descriptor's first value; 0 means 65536).
 * @returns The expanded table, exactly `entries` long.
 */
export function expandSegmentedLut(words: Uint16Array, entries: number): Uint16Array {
  const out = new Uint16Array(entries);
  let n = 0;
  const push = (v: number): void => {
    if (n >= entries) malformed(`the segments define more than the ${entries} entries its descriptor declares.`);
    out[n++] = v;
  };
  const segment = (at: number, indirectAllowed: boolean): number => {
    if (at + 2 > words.length) malformed('a segment header runs past the end of the data.');
    const opcode = words[at] as number;
    const length = words[at + 1] as number;
    switch (opcode) {
      case 0: {
        if (at + 2 + length > words.length) malformed('a discrete segment runs past the end of the data.');
        for (let i = 0; i < length; i++) push(words[at + 2 + i] as number);
        return at + 2 + length;
      }
      case 1: {
        if (n === 0) malformed('a linear segment has no previous entry to start from.');
        if (at + 3 > words.length) malformed('a linear segment runs past the end of the data.');
        const y0 = out[n - 1] as number;
        const y1 = words[at + 2] as number;
        for (let k = 1; k <= length; k++) push(roundHalfEven(y0 + ((y1 - y0) * k) / length));
        return at + 3;
      }
      case 2: {
        if (!indirectAllowed) malformed('an indirect segment points at another indirect segment.');
        if (at + 4 > words.length) malformed('an indirect segment runs past the end of the data.');
        const byteOffset = (words[at + 2] as number) + (words[at + 3] as number) * 65536;
        if (byteOffset % 2 !== 0) malformed(`an indirect segment points at odd byte offset ${byteOffset}.`);
        let p = byteOffset / 2;
        for (let s = 0; s < length; s++) p = segment(p, false);
        return at + 4;
      }
      default:
        return malformed(`segment opcode ${opcode} is not 0 (discrete), 1 (linear) or 2 (indirect).`);
    }
  };
  let at = 0;
  while (at < words.length) at = segment(at, true);
  if (n !== entries) malformed(`the segments define ${n} entries, but its descriptor declares ${entries}.`);
  return out;
}
