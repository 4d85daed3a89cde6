/**
 * The attributes an SR copies from the image it reports on (Patient and General Study
 * modules, and the image's own identity), read from a DecodedImage's tag text and made safe to
 * write again: a value that does not fit its VR is left empty (Type 2) rather than copied.
 */
import type { DecodedImage } from '../dicom/decoded-image.ts';
import { RadLocalError } from '../errors/radlocal-error.ts';

export interface SrSource {
  patientName: string;
  patientID: string;
  patientBirthDate: string;
  patientSex: string;
  studyInstanceUID: string;
  studyDate: string;
  studyTime: string;
  studyID: string;
  accessionNumber: string;
  referringPhysicianName: string;
  seriesInstanceUID: string;
  sopClassUID: string;
  sopInstanceUID: string;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;

function uid(value: string | undefined, what: string): string {
  const v = (value ?? '').replace(/\0/g, '').trim();
  if (!UID.test(v) || v.length > 64) {
    throw new RadLocalError(
      'DICOM_INVALID_ATTRIBUTE',
      `A DICOM structured report can only refer to a DICOM image with a valid ${what}, but this image has ${v === '' ? 'none' : `"${v.slice(0, 70)}"`}.`,
    );
  }
  return v;
}

/** Text without control characters or backslashes, clipped to the VR's length. */
function text(value: string | undefined, max: number): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return (value ?? '').replace(/[\0-\x1f\\]/g, '').trim().slice(0, max);
}

function matching(value: string | undefined, pattern: RegExp): string {
  const v = (value ?? '').trim();
  return pattern.test(v) ? v : '';
}

/**
 * @param image a decoded DICOM image (PNG/JPEG have no study to report into)
 * @throws RadLocalError DICOM_INVALID_ATTRIBUTE when the study, series or SOP identity is missing
 */
export function srSourceOf(image: Pick<DecodedImage, 'tags' | 'studyInstanceUID' | 'seriesInstanceUID' | 'sopClassUID' | 'sopInstanceUID'>): SrSource {
  const t = image.tags;
  return {
    patientName: text(t['00100010'], 64 * 3),
    patientID: text(t['00100020'], 64),
    patientBirthDate: matching(t['00100030'], /^\d{8}$/),
    patientSex: matching(t['00100040'], /^[MFO]$/),
    studyInstanceUID: uid(image.studyInstanceUID, 'Study Instance UID'),
    studyDate: matching(t['00080020'], /^\d{8}$/),
    studyTime: matching(t['00080030'], /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/),
    studyID: text(t['00200010'], 16),
    accessionNumber: text(t['00080050'], 16),
    referringPhysicianName: text(t['00080090'], 64 * 3),
    seriesInstanceUID: uid(image.seriesInstanceUID, 'Series Instance UID'),
    sopClassUID: uid(image.sopClassUID, 'SOP Class UID'),
    sopInstanceUID: uid(image.sopInstanceUID, 'SOP Instance UID'),
  };
}
