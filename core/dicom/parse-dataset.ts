/**
 * Parses DICOM bytes into a dicom-parser DataSet, with every failure turned into a typed error.
 * Handles Part 10 files, files without the 128-byte preamble, bare data sets without file
 * meta information (transfer syntax guessed from the first element), and deflated data sets
 * (inflated synchronously with fflate, bounded by `maxInflatedBytes`).
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet, Element, ParseDicomOptions } from 'dicom-parser';
import { Inflate } from 'fflate';
import { RadLocalError } from '../errors/radlocal-error.ts';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntax-uids.ts';

// dicom-parser is a UMD/CommonJS bundle: Node's ESM loader exposes it only as `default`,
// bundlers may expose the named exports too.
const dicomParser: typeof dicomParserModule = (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

export interface ParsedDataSet {
  dataSet: DataSet;
  /** The transfer syntax of the data set (from the file meta, or guessed for a bare data set). */
  transferSyntaxUID: string;
  /** The bytes the data set's element offsets refer to (inflated bytes for a deflated file). */
  byteArray: Uint8Array;
}

const PREAMBLE = 128;
const MAGIC = [0x44, 0x49, 0x43, 0x4d]; // "DICM"
/** Groups a bare data set plausibly starts with (command, identifying, patient, acquisition, relationship, image). */
const FIRST_GROUPS = new Set([0x0000, 0x0002, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028]);
const VRS = new Set('AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

function hasMagicAt(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 4 && MAGIC.every((b, i) => bytes[at + i] === b);
}

function withPreamble(rest: Uint8Array, addMagic: boolean): Uint8Array {
  const out = new Uint8Array(PREAMBLE + (addMagic ? 4 : 0) + rest.length);
  if (addMagic) out.set(MAGIC, PREAMBLE);
  out.set(rest, PREAMBLE + (addMagic ? 4 : 0));
  return out;
}

function u16(bytes: Uint8Array, at: number, little: boolean): number {
  const a = bytes[at] as number;
  const b = bytes[at + 1] as number;
  return little ? a | (b << 8) : (a << 8) | b;
}

function hasVrAt(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 2 && VRS.has(String.fromCharCode(bytes[at] as number, bytes[at + 1] as number));
}

/** Decides how to hand the bytes to dicom-parser: as Part 10 or as a bare data set with a guessed syntax. */
function layoutOf(bytes: Uint8Array): { bytes: Uint8Array; rawTransferSyntax?: string } {
  if (hasMagicAt(bytes, PREAMBLE)) return { bytes };
  if (hasMagicAt(bytes, 0)) return { bytes: withPreamble(bytes.subarray(4), true) };
  if (bytes.length >= 8) {
    const groupLe = u16(bytes, 0, true);
    if (groupLe === 0x0002 && hasVrAt(bytes, 4)) return { bytes: withPreamble(bytes, true) };
    if (FIRST_GROUPS.has(groupLe) && groupLe !== 0x0002) {
      return { bytes, rawTransferSyntax: hasVrAt(bytes, 4) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN };
    }
    const groupBe = u16(bytes, 0, false);
    if (FIRST_GROUPS.has(groupBe) && groupBe !== 0x0002 && hasVrAt(bytes, 4)) return { bytes, rawTransferSyntax: EXPLICIT_VR_BIG_ENDIAN };
  }
  throw new RadLocalError(
    'DICOM_NOT_DICOM',
    `Expected a DICOM file ("DICM" at byte 128, or a data set starting with a group 0002/0008 element), but this ${bytes.length}-byte file is neither.`,
  );
}

/** dicom-parser's synchronous inflater callback: returns header bytes + inflated data set, never more than `limit` bytes. */
function boundedInflater(limit: number): (bytes: Uint8Array, position: number) => Uint8Array {
  return (bytes, position) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const inflate = new Inflate((chunk) => {
      total += chunk.length;
      if (total > limit) {
        throw new RadLocalError('INPUT_TOO_LARGE', `The deflated data set inflates to more than the ${limit}-byte limit.`);
      }
      chunks.push(chunk);
    });
    try {
      inflate.push(bytes.subarray(position), true);
    } catch (error) {
      if (error instanceof RadLocalError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const code = /unexpected EOF/i.test(message) ? 'DICOM_TRUNCATED' : 'DICOM_DECODE_FAILED';
      throw new RadLocalError(code, `The deflated data set could not be inflated (${message}).`, { cause: error });
    }
    const out = new Uint8Array(position + total);
    out.set(bytes.subarray(0, position));
    let at = position;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  };
}

/** Maps dicom-parser's thrown strings / objects to a typed error. */
export function wrapParserError(error: unknown): RadLocalError {
  if (error instanceof RadLocalError) return error;
  const inner = typeof error === 'object' && error !== null && 'exception' in error ? (error as { exception: unknown }).exception : error;
  if (inner instanceof RadLocalError) return inner;
  const message = inner instanceof Error ? inner.message : String(inner);
  if (/past end|overread|buffer overrun|cannot be greater than or equal|maxPosition|beyond|eof/i.test(message)) {
    return new RadLocalError('DICOM_TRUNCATED', `The DICOM file ends before its data set does (${message}).`, { cause: error });
  }
  if (/0002,0010/.test(message)) {
    return new RadLocalError('DICOM_NOT_DICOM', 'The DICOM file meta information has no Transfer Syntax UID (0002,0010), so its encoding cannot be known.', { cause: error });
  }
  if (/DICM prefix/.test(message)) {
    return new RadLocalError('DICOM_NOT_DICOM', `Expected a DICOM file, but the "DICM" marker is missing (${message}).`, { cause: error });
  }
  return new RadLocalError('DICOM_NOT_DICOM', `The file could not be parsed as DICOM (${message}).`, { cause: error });
}

/**
 * Some writers label a data set with an explicit VR little endian syntax but encode it implicitly (pydicom
 * reads those too). When the first element after the file meta has no VR, parse the rest as
 * implicit VR; undefined when that is not the situation or the retry fails too.
 */
function parseImplicitMislabelled(bytes: Uint8Array): DataSet | undefined {
  try {
    const meta = dicomParser.readPart10Header(bytes);
    const position = (meta as unknown as { position?: number }).position;
    const ts = meta.string('x00020010')?.replace(/\0/g, '').trim();
    const littleExplicit = ts !== undefined && ts !== IMPLICIT_VR_LITTLE_ENDIAN && ts !== EXPLICIT_VR_BIG_ENDIAN && ts !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
    if (!littleExplicit || position === undefined || hasVrAt(bytes, position + 4)) return undefined;
    // DataSet is a class at run time; the package's typings declare it as an interface only.
    const DataSetClass = (dicomParser as unknown as { DataSet: new (parser: unknown, bytes: Uint8Array, elements: Record<string, unknown>) => DataSet }).DataSet;
    const dataSet = new DataSetClass(dicomParser.littleEndianByteArrayParser, bytes, {});
    const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, bytes, position);
    dicomParser.parseDicomDataSetImplicit(dataSet, stream, bytes.length);
    Object.assign(dataSet.elements, meta.elements);
    return dataSet;
  } catch {
    return undefined;
  }
}

/** Extended Offset Table (7FE0,0001) and its Lengths (7FE0,0002) with VR OV, explicit little endian. */
const OV_EOT_HEADERS = [Uint8Array.of(0xe0, 0x7f, 0x01, 0x00, 0x4f, 0x56, 0, 0), Uint8Array.of(0xe0, 0x7f, 0x02, 0x00, 0x4f, 0x56, 0, 0)];
const PIXEL_DATA_HEADER = Uint8Array.of(0xe0, 0x7f, 0x10, 0x00);

function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from: number, to: number): number {
  const first = pattern[0];
  for (let i = bytes.indexOf(first as number, from); i >= 0 && i + pattern.length <= to; i = bytes.indexOf(first as number, i + 1)) {
    let match = true;
    for (let k = 1; k < pattern.length && match; k++) match = bytes[i + k] === pattern[k];
    if (match) return i;
  }
  return -1;
}

/**
 * dicom-parser 1.8 does not know VR OV (PS3.5 2019), so an Extended Offset Table stops its parse.
 * OV has OB's header layout (2 reserved bytes, 32-bit length); in a copy of the bytes, the EOT
 * elements' VR is relabelled OB before parsing (searched only before the Pixel Data header, where
 * those two elements stand). Returns `bytes` itself when there is nothing to relabel.
 */
function relabelOvOffsetTables(bytes: Uint8Array): Uint8Array {
  const pixelData = indexOfBytes(bytes, PIXEL_DATA_HEADER, PREAMBLE, bytes.length);
  const end = pixelData < 0 ? bytes.length : pixelData;
  let out = bytes;
  for (const header of OV_EOT_HEADERS) {
    const at = indexOfBytes(bytes, header, PREAMBLE, end);
    if (at < 0) continue;
    if (out === bytes) out = bytes.slice();
    out[at + 5] = 0x42; // 'OV' → 'OB'
  }
  return out;
}

/**
 * @param bytes The whole file. Never modified (a copy is made when a preamble must be added or
 *   an OV Extended Offset Table relabelled).
 * @param maxInflatedBytes Upper bound for a deflated data set once inflated.
 */
export function parseDataSet(bytes: Uint8Array, maxInflatedBytes: number): ParsedDataSet {
  if (bytes.length < 8) {
    throw new RadLocalError('DICOM_NOT_DICOM', `Expected a DICOM file, but got only ${bytes.length} bytes.`);
  }
  const layout = layoutOf(bytes);
  layout.bytes = relabelOvOffsetTables(layout.bytes);
  const options: ParseDicomOptions = { inflater: boundedInflater(maxInflatedBytes) };
  if (layout.rawTransferSyntax) options.TransferSyntaxUID = layout.rawTransferSyntax;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(layout.bytes, options);
  } catch (error) {
    const fallback = layout.rawTransferSyntax ? undefined : parseImplicitMislabelled(layout.bytes);
    if (!fallback) throw wrapParserError(error);
    dataSet = fallback;
  }
  const tsElement = dataSet.elements.x00020010;
  let transferSyntaxUID = layout.rawTransferSyntax;
  if (tsElement) {
    try {
      transferSyntaxUID = (tsElement as { Value?: string }).Value ?? dataSet.string('x00020010');
    } catch (error) {
      throw wrapParserError(error);
    }
  }
  if (!transferSyntaxUID) {
    throw new RadLocalError('DICOM_NOT_DICOM', 'The DICOM file meta information has no Transfer Syntax UID (0002,0010), so its encoding cannot be known.');
  }
  return { dataSet, transferSyntaxUID: transferSyntaxUID.replace(/\0/g, '').trim(), byteArray: dataSet.byteArray as Uint8Array };
}

/**
 * Reads the fragments of an encapsulated pixel data element that was parsed as a plain
 * undefined-length element (happens in implicit VR data sets). Returns false when the element
 * is not encapsulated data.
 */
export function readFragmentsInPlace(dataSet: DataSet, element: Element): boolean {
  if (element.encapsulatedPixelData) return true;
  if (!element.hadUndefinedLength) return false;
  try {
    const stream = new dicomParser.ByteStream(dataSet.byteArrayParser, dataSet.byteArray, element.dataOffset);
    dicomParser.findEndOfEncapsulatedElement(stream, element, []);
    return Boolean(element.encapsulatedPixelData && element.fragments);
  } catch (error) {
    throw wrapParserError(error);
  }
}
