/** Shared checks for label columns in CSV layouts. */
import { RadLocalError } from '../errors/radlocal-error.ts';

/** Parses a 0/1 label cell (also "0.0"/"1.0", "true"/"false"). */
export function parseBinary(value: string, column: string, fileName: string, line: number): 0 | 1 {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === '1.0' || v === 'true') return 1;
  if (v === '0' || v === '0.0' || v === 'false') return 0;
  throw new RadLocalError(
    'DATASET_INVALID',
    `Expected 0 or 1 in label column "${column}" on line ${line} of ${fileName}, but got "${value}". If "${column}" is not a label, remove it or name it as a path/patient column.`,
  );
}
