/**
 * The coded concepts RadLocal's structured report uses (PS3.16): one table, so the builder and
 * its tests never spell a code twice. Findings without a SNOMED CT concept here, and the
 * model's own quantities, use the private scheme 99RADLOCAL, declared in the SR's Coding
 * Scheme Identification Sequence.
 */

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

const code = (value: string, scheme: string, meaning: string): Code => ({ value, scheme, meaning });

export const LOCAL_SCHEME = '99RADLOCAL';

export const CODES = {
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  englishUS: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceObserverUID: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceObserverModelName: code('121015', 'DCM', 'Device Observer Model Name'),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  plainChestXray: code('399208008', 'SCT', 'Plain chest X-ray'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUniqueIdentifier: code('112040', 'DCM', 'Tracking Unique Identifier'),
  source: code('260753009', 'SCT', 'Source'),
  finding: code('121071', 'DCM', 'Finding'),
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  algorithmParameters: code('111002', 'DCM', 'Algorithm Parameters'),
  positive: code('10828004', 'SCT', 'Positive'),
  negative: code('260385009', 'SCT', 'Negative'),
  yes: code('373066001', 'SCT', 'Yes'),
  no: code('373067005', 'SCT', 'No'),
  noUnits: code('1', 'UCUM', 'no units'),
  calibratedProbability: code('probability', LOCAL_SCHEME, 'Calibrated probability'),
  decisionThreshold: code('threshold', LOCAL_SCHEME, 'Decision threshold'),
  distributionCheck: code('ood-check', LOCAL_SCHEME, 'Training distribution check'),
  outOfDistribution: code('ood', LOCAL_SCHEME, 'Out of the training distribution'),
  oodScore: code('ood-score', LOCAL_SCHEME, 'Out-of-distribution score'),
  oodThreshold: code('ood-threshold', LOCAL_SCHEME, 'Out-of-distribution threshold'),
  distributionReason: code('ood-reason', LOCAL_SCHEME, 'Reason'),
} as const;

/** Model labels with a SNOMED CT concept; any other label gets a 99RADLOCAL code of its own name. */
const FINDING_CODES: Readonly<Record<string, Code>> = {
  cardiomegaly: code('8186001', 'SCT', 'Cardiomegaly'),
  pleural_effusion: code('60046008', 'SCT', 'Pleural effusion'),
  pneumothorax: code('36118008', 'SCT', 'Pneumothorax'),
  nodule: code('27925004', 'SCT', 'Nodule'),
  consolidation: code('95436008', 'SCT', 'Lung consolidation'),
  atelectasis: code('46621007', 'SCT', 'Atelectasis'),
  edema: code('19242006', 'SCT', 'Pulmonary edema'),
};

export function findingCode(label: string): Code {
  return FINDING_CODES[label] ?? code(label.slice(0, 16), LOCAL_SCHEME, label.replace(/[_-]+/g, ' ').slice(0, 64));
}
