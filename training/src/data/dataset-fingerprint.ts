/**
 * A fingerprint of a dataset as a model sees it: SHA-256 over one line per image — its path
 * relative to the dataset folder, patient, labels (and which are known) and file size — in
 * path order. `radlocal train` stores it in the model card (`trainingData.fingerprint`);
 * `radlocal evaluate` compares it with the folder it is given, so that it scores only the
 * held-out test split of the model's own training data and every image of any other folder.
 * The same folder copied elsewhere has the same fingerprint; the same file names with other
 * contents (another seed of `radlocal synth`) do not.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Dataset } from './dataset-types.ts';

/** @returns 64 lowercase hex digits. */
export function datasetFingerprint(dataset: Pick<Dataset, 'root' | 'splits'>): string {
  const { train, val, test } = dataset.splits;
  const lines = [...train, ...val, ...test].map((e) => {
    let size = -1;
    try {
      size = statSync(e.path).size;
    } catch {
      /* a missing file (skipBad) counts as size −1 */
    }
    return [relative(dataset.root, e.path).split(sep).join('/'), e.patientId, Array.from(e.labels).join(''), e.known ? Array.from(e.known).join('') : '', String(size)].join('\t');
  });
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}

/**
 * A fingerprint of one split's membership: SHA-256 over the sorted paths (relative to the
 * dataset folder) of its images. `radlocal train` stores the test split's in the card
 * (`trainingData.testSplitFingerprint`), so `radlocal evaluate` can tell when the split it
 * would make today is no longer the one the model was trained with (another split rule, other
 * fractions): the held-out images can then not be told from the training images.
 * @returns 64 lowercase hex digits.
 */
export function splitFingerprint(dataset: Pick<Dataset, 'root' | 'splits'>, split: 'train' | 'val' | 'test'): string {
  const paths = dataset.splits[split].map((e) => relative(dataset.root, e.path).split(sep).join('/')).sort();
  const hash = createHash('sha256');
  for (const path of paths) hash.update(`${path}\n`);
  return hash.digest('hex');
}
