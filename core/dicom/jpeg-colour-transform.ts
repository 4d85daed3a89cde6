/**
 * Whether a 3-component DCT JPEG stores YCbCr (to be converted to RGB) or RGB as is. The JPEG
 * markers decide when they can (ISO 10918-6 / Adobe APP14, JFIF, component identifiers);
 * otherwise the DICOM Photometric Interpretation does (PS3.5 8.2.1: RGB means no transform).
 * Checked against pydicom's SC_rgb_* / SC_jpeg_no_color_transform* files.
 */
import type { PhotometricInterpretation } from './decoded-image.ts';

const APP0 = 0xe0;
const APP14 = 0xee;
const SOF_BASELINE_OR_EXTENDED = new Set([0xc0, 0xc1, 0xc2]);

function ascii(data: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function jpegHasColourTransform(data: Uint8Array, photometric: PhotometricInterpretation): boolean {
  let adobeTransform: number | undefined;
  let jfif = false;
  let ids: number[] = [];
  let pos = 2;
  while (pos + 4 <= data.length && data[pos] === 0xff) {
    const marker = data[pos + 1] as number;
    const length = ((data[pos + 2] as number) << 8) | (data[pos + 3] as number);
    if (marker === APP0 && length >= 7 && ascii(data, pos + 4, 'JFIF\0')) jfif = true;
    // A complete Adobe segment is 14 bytes: "Adobe", version, flags0, flags1, transform.
    if (marker === APP14 && length >= 14 && ascii(data, pos + 4, 'Adobe')) adobeTransform = data[pos + 4 + 11];
    if (SOF_BASELINE_OR_EXTENDED.has(marker)) {
      const count = data[pos + 9] ?? 0;
      ids = Array.from({ length: count }, (_, k) => data[pos + 10 + 3 * k] ?? -1);
      break;
    }
    if (length < 2) break;
    pos += 2 + length;
  }
  if (adobeTransform !== undefined) return adobeTransform !== 0;
  if (jfif) return true;
  if (ids.join() === '82,71,66') return false; // 'R', 'G', 'B'
  if (ids.join() === '1,2,3') return true;
  return photometric !== 'RGB';
}
