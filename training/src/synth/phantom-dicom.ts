/**
 * The DICOM attributes of one phantom image (CR Image Storage or DX For Presentation) as
 * small tag specs, and the file bytes. Every file passes dciodvfy with no errors
 * (training/src/synth/phantom-dicom.test.ts): the CR Image and DX Image / DX Detector /
 * DX Positioning / Acquisition Context modules carry their Type 1 and Type 2 attributes.
 *
 * DX For Presentation requires Rescale Slope 1, Intercept 0 and a VOI window or LUT (PS3.3
 * C.8.11.3). A DX acquisition without those (another rescale, or no window) is written as a CR
 * image, whose IOD allows both, so the pixels and every value preprocessing reads stay the same.
 */
import type { ElementSpec } from '../../../core/dicom-write/element-spec.ts';
import { writePart10 } from '../dicom-write/write-part10.ts';
import type { Acquisition } from './acquisition.ts';
import type { PatientIdentity } from './identity.ts';

export const CR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.1';
export const DX_IMAGE_STORAGE_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

export interface PhantomImageIds {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  imageIndex: number;
}

export function phantomDataset(acq: Acquisition, patient: PatientIdentity, ids: PhantomImageIds, rows: number, columns: number): { sopClassUID: string; elements: ElementSpec[] } {
  const window = acq.window;
  const dx = isDxForPresentation(acq);
  const sopClassUID = dx ? DX_IMAGE_STORAGE_FOR_PRESENTATION : CR_IMAGE_STORAGE;
  const spacing = Number((acq.fieldOfViewMm / rows).toFixed(6));
  const studyDate = patient.studyDate(ids.imageIndex);
  const elements: ElementSpec[] = [
    { tag: 0x00080008, vr: 'CS', value: ['ORIGINAL', 'PRIMARY'] },
    { tag: 0x00080016, vr: 'UI', value: sopClassUID },
    { tag: 0x00080018, vr: 'UI', value: ids.sopInstanceUID },
    { tag: 0x00080020, vr: 'DA', value: studyDate },
    { tag: 0x00080023, vr: 'DA', value: studyDate },
    { tag: 0x00080030, vr: 'TM', value: '093000' },
    { tag: 0x00080050, vr: 'SH', value: `ACC${patient.patientId.slice(2)}${ids.imageIndex}` },
    { tag: 0x00080060, vr: 'CS', value: dx ? 'DX' : 'CR' },
    { tag: 0x00080070, vr: 'LO', value: 'RadLocal phantom generator' },
    { tag: 0x00080090, vr: 'PN', value: '' }, // Referring Physician's Name, Type 2
    { tag: 0x00081030, vr: 'LO', value: `CHEST ${acq.viewPosition}` },
    { tag: 0x00100010, vr: 'PN', value: patient.name },
    { tag: 0x00100020, vr: 'LO', value: patient.patientId },
    { tag: 0x00100030, vr: 'DA', value: patient.birthDate },
    { tag: 0x00100040, vr: 'CS', value: patient.sex },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    { tag: 0x00185101, vr: 'CS', value: acq.viewPosition },
    { tag: 0x0020000d, vr: 'UI', value: ids.studyInstanceUID },
    { tag: 0x0020000e, vr: 'UI', value: ids.seriesInstanceUID },
    { tag: 0x00200010, vr: 'SH', value: String(ids.imageIndex + 1) },
    { tag: 0x00200011, vr: 'IS', value: 1 },
    { tag: 0x00200013, vr: 'IS', value: 1 },
    { tag: 0x00200020, vr: 'CS', value: ['L', 'F'] },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: acq.photometric },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280030, vr: 'DS', value: [spacing, spacing] },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: acq.bitsStored },
    { tag: 0x00280102, vr: 'US', value: acq.bitsStored - 1 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281052, vr: 'DS', value: acq.rescaleIntercept },
    { tag: 0x00281053, vr: 'DS', value: acq.rescaleSlope },
    { tag: 0x00281054, vr: 'LO', value: 'US' },
    { tag: 0x00282110, vr: 'CS', value: '00' },
  ];
  if (dx) {
    const inverse = acq.photometric === 'MONOCHROME1';
    elements.push(
      { tag: 0x00080068, vr: 'CS', value: 'FOR PRESENTATION' },
      // Anatomic Region: chest (SCT 51185008, CID 4031); View: PA 272479007 / AP 399348003 (CID 4010).
      { tag: 0x00082218, vr: 'SQ', value: [codeItem('51185008', 'Chest')] },
      { tag: 0x00181164, vr: 'DS', value: [spacing, spacing] },
      { tag: 0x00181508, vr: 'CS', value: '' }, // Positioner Type, Type 2 (a phantom has none)
      { tag: 0x00187004, vr: 'CS', value: '' }, // Detector Type, Type 2 (unknown: simulated)
      { tag: 0x00200062, vr: 'CS', value: 'U' },
      { tag: 0x00280301, vr: 'CS', value: 'NO' }, // Burned In Annotation: the R/L marker is an imaged lead marker
      // Stored values grow with attenuation (the log of the beam intensity), so higher values mean less beam intensity
      // unless the detector stores them inverted (MONOCHROME1).
      { tag: 0x00281040, vr: 'CS', value: 'LOG' },
      { tag: 0x00281041, vr: 'SS', value: inverse ? 1 : -1 },
      { tag: 0x00400555, vr: 'SQ', value: [] }, // Acquisition Context Sequence, Type 2
      { tag: 0x00540220, vr: 'SQ', value: [[...codeItem(acq.viewPosition === 'PA' ? '272479007' : '399348003', acq.viewPosition === 'PA' ? 'postero-anterior' : 'antero-posterior'), { tag: 0x00540222, vr: 'SQ', value: [] }]] },
      { tag: 0x20500020, vr: 'CS', value: inverse ? 'INVERSE' : 'IDENTITY' },
    );
  }
  if (window) {
    elements.push({ tag: 0x00281050, vr: 'DS', value: window.center }, { tag: 0x00281051, vr: 'DS', value: window.width });
    if (acq.voiLutFunction) elements.push({ tag: 0x00281056, vr: 'CS', value: acq.voiLutFunction });
  }
  return { sopClassUID, elements };
}

/** Whether the acquisition can be written as DX For Presentation (identity rescale and a window); otherwise CR. */
export function isDxForPresentation(acq: Acquisition): boolean {
  return acq.modality === 'DX' && acq.window !== undefined && acq.rescaleSlope === 1 && acq.rescaleIntercept === 0;
}

/** One item of a code sequence (PS3.3 Table 8.8-1) in SNOMED CT. */
function codeItem(value: string, meaning: string): ElementSpec[] {
  return [
    { tag: 0x00080100, vr: 'SH', value },
    { tag: 0x00080102, vr: 'SH', value: 'SCT' },
    { tag: 0x00080104, vr: 'LO', value: meaning },
  ];
}

export async function phantomDicomBytes(acq: Acquisition, patient: PatientIdentity, ids: PhantomImageIds, rows: number, columns: number, pixels: Uint16Array): Promise<Uint8Array> {
  const { sopClassUID, elements } = phantomDataset(acq, patient, ids, rows, columns);
  return writePart10({
    sopClassUID,
    sopInstanceUID: ids.sopInstanceUID,
    transferSyntaxUID: acq.transferSyntaxUID,
    dataset: elements,
    frames: [pixels],
    rows,
    columns,
    bitsStored: acq.bitsStored,
  });
}
