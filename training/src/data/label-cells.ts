/** Label cells in the CheXpert convention, used by the CheXpert, MIMIC-CXR-JPG and manifest layouts. */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { RAW_BLANK, RAW_NEGATIVE, RAW_POSITIVE, RAW_UNCERTAIN } from './dataset-types.ts';

/** 1 / 1.0 positive, 0 / 0.0 negative, −1 / −1.0 uncertain, blank not mentioned (also true/false). */
export function parseTriState(value: string, column: string, fileName: string, line: number): number {
  const v = value.trim().toLowerCase();
  if (v === '') return RAW_BLANK;
  if (v === '1' || v === '1.0' || v === 'true') return RAW_POSITIVE;
  if (v === '0' || v === '0.0' || v === 'false') return RAW_NEGATIVE;
  if (v === '-1' || v === '-1.0') return RAW_UNCERTAIN;
  throw new RadLocalError(
    'DATASET_INVALID',
    `Expected 1, 0, -1 (uncertain) or blank (not mentioned) in label column "${column}" on line ${line} of ${fileName}, but got "${value}". ` +
      `If "${column}" is not a label, remove it or name it as a path/patient/view column.`,
  );
}
