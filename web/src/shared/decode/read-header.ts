/**
 * Header-only reading for grouping: parses a DICOM Part 10 file's head up to the pixel data
 * (dicom-parser's `untilTag`), so a folder of 10,000 files is grouped by reading a few kB of
 * each instead of decoding it. Anything unusual (no preamble, deflated, a head cut before the
 * pixel data, PNG/JPEG) answers undefined: the caller then reads the whole file.
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { pixelDataElement, readImageAttributes } from '../../../../core/dicom/image-attributes.ts';
import { tagsAsText } from '../../../../core/dicom/tag-text.ts';
import { transferSyntaxOf } from '../../../../core/dicom/transfer-syntax-table.ts';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN } from '../../../../core/dicom/transfer-syntax-uids.ts';
import type { DecodedImage } from '../../../../core/dicom/decoded-image.ts';
import type { ImageHeader } from '../session/opened-file.ts';

const dicomParser: typeof dicomParserModule = (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

/** Bytes read first; enough for the header of almost every radiograph. */
export const HEAD_BYTES = 64 * 1024;

function isPart10(head: Uint8Array): boolean {
  return head.length > 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d;
}

export function readDicomHeader(head: Uint8Array): ImageHeader | undefined {
  if (!isPart10(head)) return undefined;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(head, { untilTag: 'x7fe00010' });
  } catch {
    return undefined;
  }
  const transferSyntaxUID = dataSet.string('x00020010')?.replace(/\0/g, '').trim();
  const pixel = pixelDataElement(dataSet);
  const syntax = transferSyntaxUID ? transferSyntaxOf(transferSyntaxUID) : undefined;
  // Unknown syntax, no pixel data yet, deflated: the full decode gives the right typed error or header.
  if (!transferSyntaxUID || !pixel || !syntax || transferSyntaxUID === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return undefined;
  try {
    const { info, attributes } = readImageAttributes(dataSet, pixel.isFloat, pixel.element.vr, syntax.bigEndian);
    const tags = tagsAsText(dataSet);
    // The head ends inside the pixel data: say its size, as the full decode does.
    tags['7fe00010'] = `<${pixel.element.length} bytes>`;
    return { source: 'dicom', transferSyntaxUID, ...attributes, photometricInterpretation: info.photometricInterpretation, tags };
  } catch {
    return undefined;
  }
}

/** The header of a fully decoded image (its pixels dropped). */
export function headerOf(image: DecodedImage): ImageHeader {
  const { frames: _frames, decodedFrameIndices: _indices, ...header } = image;
  return header;
}
