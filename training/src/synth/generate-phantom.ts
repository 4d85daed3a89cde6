/**
 * One phantom image from its plan: anatomy → attenuation → stored pixels → DICOM bytes,
 * plus the ground truth the labels come from. Deterministic in (seed, patient, image).
 */
import type { DecodedImage } from '../../../core/dicom/decoded-image.ts';
import { createDecodedImage } from '../../../core/dicom/decoded-image.ts';
import { columnsFor, NO_SHIFT, sampleAcquisition, shiftAcquisition, shiftAttenuation, toStoredPixels, type Acquisition, type AcquisitionShift } from './acquisition.ts';
import { renderedCtr, sampleAnatomy, sampleHabitus, type Anatomy, type Habitus } from './anatomy.ts';
import { PHANTOM_LABELS, sampleFindings, type Findings, type PhantomLabel, type Prevalence } from './findings.ts';
import { samplePatientIdentity, uid225, type PatientIdentity } from './identity.ts';
import { isDxForPresentation, phantomDicomBytes } from './phantom-dicom.ts';
import { createRng, hashString } from '../../../core/random/prng.ts';
import { renderPhantom } from './render-phantom.ts';

export interface PhantomPatient {
  index: number;
  images: number;
  habitus: Habitus;
  findings: Findings;
  identity: PatientIdentity;
  studyInstanceUIDs: string[];
}

/** Patients until `count` images: 70 % one image, 20 % two, 10 % three (the last one trimmed). */
export function planPatients(count: number, seed: number, prevalence: Prevalence): PhantomPatient[] {
  const patients: PhantomPatient[] = [];
  let total = 0;
  for (let p = 0; total < count; p++) {
    const rng = createRng(`${seed}/patient/${p}`);
    const r = rng.next();
    const images = Math.min(count - total, r < 0.7 ? 1 : r < 0.9 ? 2 : 3);
    const habitus = sampleHabitus(rng);
    const findings = sampleFindings(rng, prevalence);
    const identity = samplePatientIdentity(rng, p, habitus.female);
    patients.push({ index: p, images, habitus, findings, identity, studyInstanceUIDs: Array.from({ length: images }, () => uid225(rng)) });
    total += images;
  }
  return patients;
}

export interface PhantomTruth {
  labels: Record<PhantomLabel, 0 | 1>;
  /** Cardiothoracic ratio of the rendered heart and thorax. */
  ctr: number;
  effusion: { right: number; left: number };
  pneumothorax: { side: 'right' | 'left'; gap: number } | null;
  nodules: { column: number; row: number; diameterPx: number; diameterMm: number }[];
}

export interface PhantomImage {
  acquisition: Acquisition;
  anatomy: Anatomy;
  rows: number;
  columns: number;
  /** Uint16Array [rows, columns] stored values. */
  stored: Uint16Array;
  truth: PhantomTruth;
  sopInstanceUID: string;
  seriesInstanceUID: string;
}

export function labelsOf(findings: Findings): Record<PhantomLabel, 0 | 1> {
  const on = {
    cardiomegaly: findings.cardiomegaly,
    pleural_effusion: findings.effusion.right > 0 || findings.effusion.left > 0,
    pneumothorax: findings.pneumothorax !== undefined,
    nodule: findings.nodules.length > 0,
  };
  return Object.fromEntries(PHANTOM_LABELS.map((l) => [l, on[l] ? 1 : 0])) as Record<PhantomLabel, 0 | 1>;
}

/** @param shift the site's acquisition shift (default none: the generator's own world, byte for byte). */
export function generatePhantom(patient: PhantomPatient, imageIndex: number, seed: number, size: number, shift: AcquisitionShift = NO_SHIFT): PhantomImage {
  const rng = createRng(`${seed}/image/${patient.index}/${imageIndex}`);
  const ap = rng.chance(0.3);
  // Follow-up images: same patient and findings, severity drifts a little.
  const findings: Findings = imageIndex === 0 ? patient.findings : {
    ...patient.findings,
    effusion: { right: patient.findings.effusion.right * rng.uniform(0.85, 1.15), left: patient.findings.effusion.left * rng.uniform(0.85, 1.15) },
  };
  const anatomy = sampleAnatomy(rng, patient.habitus, findings, ap);
  // The shift is applied after sampling, so the random streams (anatomy, tags, noise) are those of the unshifted image.
  const acquisition = shiftAcquisition(sampleAcquisition(rng, ap), shift);
  const mmPerUnit = acquisition.fieldOfViewMm;
  const render = renderPhantom(anatomy, size, mmPerUnit);
  // Portrait detectors: keep the central columns of the square rendering.
  const columns = columnsFor(size, acquisition);
  const cropLeft = Math.floor((size - columns) / 2);
  const attenuation = shiftAttenuation(columns === size ? render.attenuation : cropColumns(render.attenuation, size, cropLeft, columns), size, columns, shift);
  const stored = toStoredPixels(attenuation, size, columns, acquisition, hashString(`${seed}/noise/${patient.index}/${imageIndex}`));
  const pxMm = mmPerUnit / size;
  return {
    acquisition,
    anatomy,
    rows: size,
    columns,
    stored,
    sopInstanceUID: uid225(rng),
    seriesInstanceUID: uid225(rng),
    truth: {
      labels: labelsOf(findings),
      ctr: renderedCtr(anatomy),
      effusion: findings.effusion,
      pneumothorax: findings.pneumothorax ?? null,
      nodules: render.nodules.map((n, i) => ({ ...n, column: n.column - cropLeft, diameterMm: Number(((findings.nodules[i]?.diameterMm ?? n.diameterPx * pxMm)).toFixed(2)) })),
    },
  };
}

/** Columns [left, left + columns) of a square [size, size] map. */
function cropColumns(map: Float32Array, size: number, left: number, columns: number): Float32Array {
  const out = new Float32Array(size * columns);
  for (let r = 0; r < size; r++) out.set(map.subarray(r * size + left, r * size + left + columns), r * columns);
  return out;
}

export function phantomDicom(patient: PhantomPatient, imageIndex: number, image: PhantomImage): Promise<Uint8Array> {
  return phantomDicomBytes(
    image.acquisition,
    patient.identity,
    {
      studyInstanceUID: patient.studyInstanceUIDs[imageIndex] as string,
      seriesInstanceUID: image.seriesInstanceUID,
      sopInstanceUID: image.sopInstanceUID,
      imageIndex,
    },
    image.rows,
    image.columns,
    image.stored,
  );
}

/** The phantom as a DecodedImage (as the decoder would return it), for PNG export and previews. */
export function phantomDecodedImage(image: PhantomImage): DecodedImage {
  const acq = image.acquisition;
  return createDecodedImage(image.rows, image.columns, [image.stored], {
    photometricInterpretation: acq.photometric,
    photometricInterpretationStored: acq.photometric,
    bitsStored: acq.bitsStored,
    highBit: acq.bitsStored - 1,
    rescaleSlope: acq.rescaleSlope,
    rescaleIntercept: acq.rescaleIntercept,
    windowCenter: acq.window ? [acq.window.center] : [],
    windowWidth: acq.window ? [acq.window.width] : [],
    voiLutFunction: acq.voiLutFunction,
    // As written to the file: a DX acquisition that DX For Presentation cannot hold is stored as CR.
    modality: isDxForPresentation(acq) ? 'DX' : 'CR',
  });
}
