/** Recognises DICOM, PNG and JPEG by content, never by file name. */

export type ImageFormat = 'dicom' | 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));
/** Groups a DICOM data set without preamble plausibly starts with. */
const FIRST_GROUPS = new Set([0x0002, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

/** Undefined when the bytes are none of the three. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x44, 0x49, 0x43, 0x4d], 128) || startsWith(bytes, [0x44, 0x49, 0x43, 0x4d])) return 'dicom';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (bytes.length >= 8) {
    const le = (bytes[0] as number) | ((bytes[1] as number) << 8);
    const be = ((bytes[0] as number) << 8) | (bytes[1] as number);
    const vr = String.fromCharCode(bytes[4] as number, bytes[5] as number);
    const element = (bytes[2] as number) | ((bytes[3] as number) << 8);
    if (FIRST_GROUPS.has(le) && (VRS.has(vr) || element < 0x0100)) return 'dicom';
    if (FIRST_GROUPS.has(be) && VRS.has(vr)) return 'dicom';
  }
  return undefined;
}
