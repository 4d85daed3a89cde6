/**
 * RadLocal's findings as a DICOM Comprehensive SR (PS3.3 §A.35.3) following TID 1500
 * "Measurement Report" (PS3.16). Pure: the same bytes in Node (`radlocal predict --sr`) and in
 * the browser (export / STOW from the viewer). Content tree:
 *
 *   CONTAINER Imaging Measurement Report (TID 1500)
 *   ├ HAS CONCEPT MOD  Language = en-US                                   (TID 1204)
 *   ├ HAS OBS CONTEXT  Observer Type = Device, Device Observer UID/Name…  (TID 1001/1004)
 *   ├ HAS CONCEPT MOD  Procedure reported = Plain chest X-ray
 *   ├ CONTAINS Image Library › Image Library Group › IMAGE (source)      (TID 1600)
 *   └ CONTAINS Imaging Measurements
 *     ├ Measurement Group "distribution-check" (TID 1501, image level)
 *     │   Tracking Identifier/UID, IMAGE Source, Algorithm Name/Version/Parameters (TID 4019),
 *     │   CODE Out of the training distribution = Yes/No, NUM score and threshold, TEXT reasons
 *     └ Measurement Group per finding (TID 1501, image level)
 *         Tracking Identifier/UID, IMAGE Source, CODE Finding, TID 4019,
 *         NUM Calibrated probability, NUM Decision threshold, CODE <finding> = Positive/Negative
 */
import type { ElementSpec } from '../dicom-write/element-spec.ts';
import { encodeElement } from '../dicom-write/encode-element.ts';
import { concatBytes } from '../bytes/concat-bytes.ts';
import { part10Header } from '../dicom-write/part10-header.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../dicom/transfer-syntax-uids.ts';
import { codeContent, codeSequence, container, containerBody, imageContent, numContent, textContent, uidContent, type ContentItem } from './content-item.ts';
import { newUid } from './new-uid.ts';
import { CODES, findingCode, LOCAL_SCHEME } from './sr-codes.ts';
import type { SrSource } from './sr-source.ts';

export const COMPREHENSIVE_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.33';
/** Series Number of RadLocal's SR series (an arbitrary, recognisable number). */
export const SR_SERIES_NUMBER = 9901;

export interface SrFinding {
  label: string;
  /** Calibrated probability in [0, 1]. */
  score: number;
  threshold: number;
  positive: boolean;
}

export interface SrInput {
  source: SrSource;
  findings: readonly SrFinding[];
  /** The OOD detector's score, the card's threshold on it (flagged above), and the reasons. */
  ood: { flagged: boolean; distance: number; threshold?: number; reasons: readonly string[] };
  model: { name: string; version: string; sha256: string };
  /** RadLocal's version, written as Software Versions. */
  softwareVersion: string;
  /** When the report is made (content and instance creation date/time, written in UTC). */
  now: Date;
  /** New identities; fresh 2.25 UIDs when absent (tests pass fixed ones). */
  sopInstanceUID?: string;
  seriesInstanceUID?: string;
  /** Identifies this RadLocal installation as the observing device; a fresh UID when absent. */
  deviceObserverUID?: string;
}

export interface SrDocument {
  sopInstanceUID: string;
  seriesInstanceUID: string;
  bytes: Uint8Array;
}

function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
function utcTime(d: Date): string {
  return d.toISOString().slice(11, 19).replace(/:/g, '');
}

function algorithm(model: SrInput['model']): ContentItem[] {
  return [
    textContent('HAS CONCEPT MOD', CODES.algorithmName, model.name),
    textContent('HAS CONCEPT MOD', CODES.algorithmVersion, model.version),
    textContent('HAS CONCEPT MOD', CODES.algorithmParameters, `model sha256 ${model.sha256}`),
  ];
}

function groupHead(trackingId: string, source: SrSource): ContentItem[] {
  return [
    textContent('HAS OBS CONTEXT', CODES.trackingIdentifier, trackingId),
    uidContent('HAS OBS CONTEXT', CODES.trackingUniqueIdentifier, newUid()),
    imageContent('CONTAINS', CODES.source, source.sopClassUID, source.sopInstanceUID),
  ];
}

function distributionGroup(input: SrInput): ContentItem {
  const { ood } = input;
  return container('CONTAINS', CODES.measurementGroup, [
    ...groupHead('distribution-check', input.source),
    codeContent('CONTAINS', CODES.finding, CODES.distributionCheck),
    ...algorithm(input.model),
    codeContent('CONTAINS', CODES.outOfDistribution, ood.flagged ? CODES.yes : CODES.no),
    ...(Number.isFinite(ood.distance) ? [numContent('CONTAINS', CODES.oodScore, ood.distance, CODES.noUnits)] : []),
    ...(ood.threshold !== undefined && Number.isFinite(ood.threshold) ? [numContent('CONTAINS', CODES.oodThreshold, ood.threshold, CODES.noUnits)] : []),
    ...ood.reasons.map((reason) => textContent('CONTAINS', CODES.distributionReason, reason)),
  ]);
}

function findingGroup(input: SrInput, finding: SrFinding): ContentItem {
  const concept = findingCode(finding.label);
  return container('CONTAINS', CODES.measurementGroup, [
    ...groupHead(finding.label, input.source),
    codeContent('CONTAINS', CODES.finding, concept),
    ...algorithm(input.model),
    numContent('CONTAINS', CODES.calibratedProbability, finding.score, CODES.noUnits),
    numContent('CONTAINS', CODES.decisionThreshold, finding.threshold, CODES.noUnits),
    codeContent('CONTAINS', concept, finding.positive ? CODES.positive : CODES.negative),
  ]);
}

function contentTree(input: SrInput, deviceUID: string): ElementSpec[] {
  const { source } = input;
  return [
    codeSequence(0x0040a043, CODES.imagingMeasurementReport),
    { tag: 0x0040a040, vr: 'CS', value: 'CONTAINER' },
    { tag: 0x0040a504, vr: 'SQ', value: [[{ tag: 0x00080105, vr: 'CS', value: 'DCMR' }, { tag: 0x0040db00, vr: 'CS', value: '1500' }]] },
    ...containerBody([
      codeContent('HAS CONCEPT MOD', CODES.language, CODES.englishUS),
      codeContent('HAS OBS CONTEXT', CODES.observerType, CODES.device),
      uidContent('HAS OBS CONTEXT', CODES.deviceObserverUID, deviceUID),
      textContent('HAS OBS CONTEXT', CODES.deviceObserverName, 'RadLocal'),
      textContent('HAS OBS CONTEXT', CODES.deviceObserverManufacturer, 'RadLocal'),
      textContent('HAS OBS CONTEXT', CODES.deviceObserverModelName, input.model.name),
      codeContent('HAS CONCEPT MOD', CODES.procedureReported, CODES.plainChestXray),
      container('CONTAINS', CODES.imageLibrary, [
        container('CONTAINS', CODES.imageLibraryGroup, [imageContent('CONTAINS', undefined, source.sopClassUID, source.sopInstanceUID)]),
      ]),
      container('CONTAINS', CODES.imagingMeasurements, [distributionGroup(input), ...input.findings.map((f) => findingGroup(input, f))]),
    ]),
  ];
}

/** The complete SR data set (no group 0002), elements in any order. */
export function buildSrDataset(input: SrInput, ids: { sopInstanceUID: string; seriesInstanceUID: string; deviceObserverUID: string }): ElementSpec[] {
  const { source, now } = input;
  const nonAscii = Object.values(source).some((v) => /[^\x20-\x7e]/.test(v));
  return [
    ...(nonAscii ? [{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' } as const] : []),
    // SOP Common
    { tag: 0x00080012, vr: 'DA', value: utcDate(now) },
    { tag: 0x00080013, vr: 'TM', value: utcTime(now) },
    { tag: 0x00080016, vr: 'UI', value: COMPREHENSIVE_SR_SOP_CLASS },
    { tag: 0x00080018, vr: 'UI', value: ids.sopInstanceUID },
    { tag: 0x00080201, vr: 'SH', value: '+0000' },
    {
      tag: 0x00080110,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00080102, vr: 'SH', value: LOCAL_SCHEME },
          { tag: 0x00080115, vr: 'ST', value: 'RadLocal model outputs' },
          { tag: 0x00080116, vr: 'ST', value: 'RadLocal' },
        ],
      ],
    },
    // Patient
    { tag: 0x00100010, vr: 'PN', value: source.patientName },
    { tag: 0x00100020, vr: 'LO', value: source.patientID },
    { tag: 0x00100030, vr: 'DA', value: source.patientBirthDate },
    { tag: 0x00100040, vr: 'CS', value: source.patientSex },
    // General Study
    { tag: 0x0020000d, vr: 'UI', value: source.studyInstanceUID },
    { tag: 0x00080020, vr: 'DA', value: source.studyDate },
    { tag: 0x00080030, vr: 'TM', value: source.studyTime },
    { tag: 0x00080050, vr: 'SH', value: source.accessionNumber },
    { tag: 0x00080090, vr: 'PN', value: source.referringPhysicianName },
    { tag: 0x00200010, vr: 'SH', value: source.studyID },
    // SR Document Series
    { tag: 0x00080060, vr: 'CS', value: 'SR' },
    { tag: 0x0020000e, vr: 'UI', value: ids.seriesInstanceUID },
    { tag: 0x00200011, vr: 'IS', value: SR_SERIES_NUMBER },
    { tag: 0x0008103e, vr: 'LO', value: 'RadLocal findings' },
    { tag: 0x00081111, vr: 'SQ', value: [] },
    // General Equipment
    { tag: 0x00080070, vr: 'LO', value: 'RadLocal' },
    { tag: 0x00081090, vr: 'LO', value: input.model.name.slice(0, 64) },
    { tag: 0x00181020, vr: 'LO', value: input.softwareVersion.slice(0, 64) },
    // SR Document General
    { tag: 0x00200013, vr: 'IS', value: 1 },
    { tag: 0x00080023, vr: 'DA', value: utcDate(now) },
    { tag: 0x00080033, vr: 'TM', value: utcTime(now) },
    { tag: 0x0040a491, vr: 'CS', value: 'COMPLETE' },
    { tag: 0x0040a493, vr: 'CS', value: 'UNVERIFIED' },
    { tag: 0x0040a372, vr: 'SQ', value: [] },
    {
      tag: 0x0040a375,
      vr: 'SQ',
      value: [
        [
          { tag: 0x0020000d, vr: 'UI', value: source.studyInstanceUID },
          {
            tag: 0x00081115,
            vr: 'SQ',
            value: [
              [
                { tag: 0x0020000e, vr: 'UI', value: source.seriesInstanceUID },
                {
                  tag: 0x00081199,
                  vr: 'SQ',
                  value: [
                    [
                      { tag: 0x00081150, vr: 'UI', value: source.sopClassUID },
                      { tag: 0x00081155, vr: 'UI', value: source.sopInstanceUID },
                    ],
                  ],
                },
              ],
            ],
          },
        ],
      ],
    },
    // SR Document Content (root container)
    ...contentTree(input, ids.deviceObserverUID),
  ];
}

/** The SR as a Part 10 file (explicit VR little endian), with new SOP and series instance UIDs. */
export function writeSr(input: SrInput): SrDocument {
  const ids = {
    sopInstanceUID: input.sopInstanceUID ?? newUid(),
    seriesInstanceUID: input.seriesInstanceUID ?? newUid(),
    deviceObserverUID: input.deviceObserverUID ?? newUid(),
  };
  const dataset = buildSrDataset(input, ids).sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  const text = dataset.some((e) => e.tag === 0x00080005) ? 'utf-8' : 'ascii';
  const bytes = concatBytes([
    part10Header({ sopClassUID: COMPREHENSIVE_SR_SOP_CLASS, sopInstanceUID: ids.sopInstanceUID, transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN }),
    ...dataset.map((e) => encodeElement(e, text)),
  ]);
  return { sopInstanceUID: ids.sopInstanceUID, seriesInstanceUID: ids.seriesInstanceUID, bytes };
}
