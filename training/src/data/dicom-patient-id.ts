/**
 * Patient ID (0010,0020) from a DICOM file's header, for layouts that name no patient
 * (folder per class, a manifest without a patient column): without it, two images of one
 * patient could land in different splits. Reads the first 64 KiB (the whole file only if the
 * header is longer); never decodes pixels.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import * as dicomParserModule from 'dicom-parser';

// dicom-parser is a UMD/CommonJS bundle: Node's ESM loader exposes it as `default`.
const dicomParser: typeof dicomParserModule = (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

const HEAD_BYTES = 64 * 1024;

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function patientIdIn(bytes: Uint8Array): string | undefined {
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x00100021' });
  const id = dataSet.string('x00100020')?.trim();
  return id ? id : undefined;
}

/** The file's PatientID, or undefined when it has none or is not readable DICOM. */
export function dicomPatientId(path: string): string | undefined {
  let head: Uint8Array;
  try {
    head = readHead(path);
  } catch {
    return undefined;
  }
  try {
    return patientIdIn(head);
  } catch {
    if (head.length < HEAD_BYTES) return undefined; // the whole file was read: not DICOM, or damaged
  }
  try {
    return patientIdIn(new Uint8Array(readFileSync(path)));
  } catch {
    return undefined;
  }
}

export function isDicomPath(path: string): boolean {
  return /\.(dcm|dicom)$/i.test(path) || !/\.[a-z0-9]{2,5}$/i.test(path);
}
