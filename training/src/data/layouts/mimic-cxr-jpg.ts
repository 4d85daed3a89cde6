/**
 * MIMIC-CXR-JPG layout (Johnson et al. 2019, PhysioNet `mimic-cxr-jpg/2.0.0/`), as downloaded:
 *   mimic-cxr-2.0.0-chexpert.csv.gz  subject_id, study_id, the 14 CheXpert observations
 *                                    (1.0 / 0.0 / −1.0 uncertain / blank), one row per study
 *   mimic-cxr-2.0.0-negbio.csv.gz    the same columns from the NegBio labeler (used when the
 *                                    CheXpert file is absent)
 *   mimic-cxr-2.0.0-metadata.csv.gz  dicom_id, subject_id, study_id, PerformedProcedureStepDescription,
 *                                    ViewPosition, Rows, Columns, StudyDate, StudyTime, …; one row per image
 *   mimic-cxr-2.0.0-split.csv.gz     dicom_id, study_id, subject_id, split (train / validate / test)
 *   files/p10/p10000032/s50414267/<dicom_id>.jpg
 * The CSVs may also be un-gzipped. Labels are per study and apply to each of its images; the
 * patient is subject_id; the view is the metadata's ViewPosition; the official split is used.
 */
import { join } from 'node:path';
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import { findCsv, readCsvTable } from '../csv-source.ts';
import { createFileExistence } from '../file-index.ts';
import type { RawDataset, RawExample, SplitName } from '../dataset-types.ts';
import { parseTriState } from '../label-cells.ts';
import { normaliseView } from '../views.ts';

export const MIMIC_LABEL_FILES = ['mimic-cxr-2.0.0-chexpert.csv', 'mimic-cxr-2.0.0-negbio.csv'];
export const MIMIC_METADATA_FILE = 'mimic-cxr-2.0.0-metadata.csv';
export const MIMIC_SPLIT_FILE = 'mimic-cxr-2.0.0-split.csv';
const SPLITS: Record<string, SplitName> = { train: 'train', validate: 'val', test: 'test' };

export function mimicFiles(files: string[]): { labels: string; metadata: string; split: string | undefined } | undefined {
  const labels = findCsv(files, MIMIC_LABEL_FILES);
  const metadata = findCsv(files, [MIMIC_METADATA_FILE]);
  return labels && metadata ? { labels, metadata, split: findCsv(files, [MIMIC_SPLIT_FILE]) } : undefined;
}

/** files/p10/p10000032/s50414267/<dicom_id>.jpg */
export function mimicImagePath(dir: string, subjectId: string, studyId: string, dicomId: string): string {
  return join(dir, 'files', `p${subjectId.slice(0, 2)}`, `p${subjectId}`, `s${studyId}`, `${dicomId}.jpg`);
}

function requireColumns(header: string[], columns: string[], file: string): void {
  const absent = columns.filter((c) => !header.includes(c));
  if (absent.length > 0) throw new RadLocalError('DATASET_INVALID', `Expected ${columns.join(', ')} columns in ${file} (MIMIC-CXR-JPG layout), but ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing.`);
}

export function readMimic(dir: string, found: { labels: string; metadata: string; split: string | undefined }): RawDataset {
  const labelTable = readCsvTable(dir, found.labels);
  requireColumns(labelTable.header, ['subject_id', 'study_id'], found.labels);
  const labels = labelTable.header.filter((h) => h !== 'subject_id' && h !== 'study_id');
  const byStudy = new Map<string, Int8Array>();
  labelTable.records.forEach((record, k) => {
    byStudy.set(`${record.subject_id}/${record.study_id}`, Int8Array.from(labels.map((c) => parseTriState(record[c] ?? '', c, found.labels, k + 2))));
  });
  const splitOf = new Map<string, SplitName>();
  if (found.split) {
    const splitTable = readCsvTable(dir, found.split);
    requireColumns(splitTable.header, ['dicom_id', 'split'], found.split);
    splitTable.records.forEach((record, k) => {
      const split = SPLITS[record.split ?? ''];
      if (!split) throw new RadLocalError('DATASET_INVALID', `Expected train, validate or test in the split column on line ${k + 2} of ${found.split}, but got "${record.split}".`);
      splitOf.set(record.dicom_id ?? '', split);
    });
  }
  const metadata = readCsvTable(dir, found.metadata);
  requireColumns(metadata.header, ['dicom_id', 'subject_id', 'study_id', 'ViewPosition'], found.metadata);
  const examples: RawExample[] = [];
  const missing: string[] = [];
  const exists = createFileExistence();
  let unlabelled = 0;
  for (const record of metadata.records) {
    const subject = record.subject_id ?? '';
    const study = record.study_id ?? '';
    const dicomId = record.dicom_id ?? '';
    const values = byStudy.get(`${subject}/${study}`);
    if (!values) {
      unlabelled++;
      continue;
    }
    const path = mimicImagePath(dir, subject, study, dicomId);
    if (!exists(path)) {
      missing.push(path);
      continue;
    }
    const split = splitOf.get(dicomId);
    examples.push({ path, patientId: subject, values, view: normaliseView(record.ViewPosition), ...(split ? { split } : {}) });
  }
  return {
    layout: 'mimic-cxr-jpg',
    labels,
    examples,
    missing,
    files: [found.labels, found.metadata, ...(found.split ? [found.split] : [])],
    viewSource: `ViewPosition column of ${found.metadata}`,
    ...(unlabelled > 0 ? { excluded: { 'study without a label row': unlabelled } } : {}),
    ...(found.split ? { splitSource: found.split } : {}),
  };
}
