/**
 * Groups decoded files into patients → studies → series by their DICOM UIDs (PS3.3 C.7),
 * and orders images within a series by InstanceNumber. Files without UIDs (PNG, JPEG,
 * broken headers) become a series of their own.
 */
import type { ImageHeader, OpenedFile } from './opened-file.ts';

export const TAG = {
  patientName: '00100010',
  patientId: '00100020',
  studyDate: '00080020',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  seriesNumber: '00200011',
  instanceNumber: '00200013',
  accessionNumber: '00080050',
} as const;

export interface SeriesGroup {
  key: string;
  description: string;
  seriesNumber: number | undefined;
  modality: string | undefined;
  /** Ready files in display order. */
  files: OpenedFile[];
  /** Total number of frames over all files. */
  frameCount: number;
}

export interface StudyGroup {
  key: string;
  patientKey: string;
  patientName: string;
  patientId: string;
  description: string;
  date: string;
  series: SeriesGroup[];
}

export interface PatientGroup {
  key: string;
  name: string;
  id: string;
  studies: StudyGroup[];
}

export function tagOf(file: OpenedFile, tag: string): string {
  const tags = file.image?.tags ?? {};
  return (tags[tag] ?? tags[tag.toLowerCase()] ?? tags[`x${tag.toLowerCase()}`] ?? '').trim();
}

function numberOrUndefined(text: string): number | undefined {
  const n = Number.parseFloat(text);
  return Number.isFinite(n) ? n : undefined;
}

/** The key of the series a file belongs to (its SeriesInstanceUID, else the file itself). */
export function seriesKeyOf(image: ImageHeader, fileId: string): string {
  return image.seriesInstanceUID ? `series:${image.seriesInstanceUID}` : `file:${fileId}`;
}

let memo: { files: readonly OpenedFile[]; patients: PatientGroup[] } | undefined;

/**
 * Groups ready files; files still decoding or in error are left out. Order follows first
 * appearance. The last result is reused for the same `files` array (the study list, the
 * worklist and the viewport all group the same session).
 */
export function groupStudies(files: readonly OpenedFile[]): PatientGroup[] {
  if (memo?.files === files) return memo.patients;
  const patients = group(files);
  memo = { files, patients };
  return patients;
}

function group(files: readonly OpenedFile[]): PatientGroup[] {
  const patients = new Map<string, PatientGroup>();
  const studies = new Map<string, StudyGroup>();
  const series = new Map<string, SeriesGroup>();
  for (const file of files) {
    const image = file.image;
    if (file.status !== 'ready' || !image) continue;
    const patientId = tagOf(file, TAG.patientId);
    const patientName = tagOf(file, TAG.patientName).replaceAll('^', ' ').trim();
    const patientKey = patientId || patientName || `file:${file.id}`;
    let patient = patients.get(patientKey);
    if (!patient) {
      patient = { key: patientKey, name: patientName || '(no name)', id: patientId, studies: [] };
      patients.set(patientKey, patient);
    }
    const studyKey = image.studyInstanceUID ? `study:${image.studyInstanceUID}` : `file:${file.id}`;
    let study = studies.get(studyKey);
    if (!study) {
      study = {
        key: studyKey,
        patientKey,
        patientName: patient.name,
        patientId,
        description: tagOf(file, TAG.studyDescription) || (image.source === 'dicom' ? image.modality ?? 'Study' : file.name),
        date: tagOf(file, TAG.studyDate),
        series: [],
      };
      studies.set(studyKey, study);
      patient.studies.push(study);
    }
    const seriesKey = seriesKeyOf(image, file.id);
    let group = series.get(seriesKey);
    if (!group) {
      group = {
        key: seriesKey,
        description: tagOf(file, TAG.seriesDescription) || file.name,
        seriesNumber: numberOrUndefined(tagOf(file, TAG.seriesNumber)),
        modality: image.modality,
        files: [],
        frameCount: 0,
      };
      series.set(seriesKey, group);
      study.series.push(group);
    }
    group.files.push(file);
    group.frameCount += image.numberOfFrames;
  }
  for (const group of series.values()) {
    group.files.sort((a, b) => (numberOrUndefined(tagOf(a, TAG.instanceNumber)) ?? 0) - (numberOrUndefined(tagOf(b, TAG.instanceNumber)) ?? 0));
  }
  for (const study of studies.values()) {
    study.series.sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity));
  }
  return [...patients.values()];
}

/** The (file, frame) shown at a position of a series stack. */
export function frameAt(group: SeriesGroup, index: number): { file: OpenedFile; frame: number } | undefined {
  let rest = index;
  for (const file of group.files) {
    const n = file.image?.numberOfFrames ?? 0;
    if (rest < n) return { file, frame: rest };
    rest -= n;
  }
  return undefined;
}
