/**
 * Encapsulated Pixel Data (PS3.5 §A.4): (7FE0,0010) OB with undefined length, a Basic
 * Offset Table item holding each frame's offset (from the first byte after the table item
 * to the frame's first fragment item), one fragment item per frame (padded to even length
 * with a trailing 0x00), then the Sequence Delimitation Item.
 */
import { elementHeader } from '../../../core/dicom-write/encode-element.ts';
import { concatBytes } from '../../../core/bytes/concat-bytes.ts';

const PIXEL_DATA = 0x7fe00010;

function item(tagElement: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, tagElement, true);
  view.setUint32(4, value.length, true);
  out.set(value, 8);
  return out;
}

function evenLength(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** The whole Pixel Data element for `frames` (one compressed codestream per frame). */
export function encapsulatedPixelData(frames: readonly Uint8Array[]): Uint8Array {
  const fragments = frames.map((f) => item(0xe000, evenLength(f)));
  const table = new Uint8Array(4 * frames.length);
  const tableView = new DataView(table.buffer);
  let offset = 0;
  fragments.forEach((fragment, i) => {
    tableView.setUint32(4 * i, offset, true);
    offset += fragment.length;
  });
  return concatBytes([elementHeader(PIXEL_DATA, 'OB', 0xffffffff), item(0xe000, table), ...fragments, item(0xe0dd, new Uint8Array(0))]);
}
