/**
 * From a dataset's own labels to the model's findings: one synonym table (the only place
 * that knows that NIH "Effusion", CheXpert "Pleural Effusion" and PadChest "pleural effusion"
 * are the model's `pleural_effusion`), the `--labels` option, and the uncertainty policies of
 * the CheXpert paper (Irvin et al. 2019) for −1 values:
 *   U-Ignore (`ignore`, default) — the label is unknown for that image: masked out of the
 *     loss, the calibration and the metrics (it does not count as a negative);
 *   U-Ones (`ones`) — uncertain counts as positive;
 *   U-Zeros (`zeros`) — uncertain counts as negative.
 * A blank cell (finding not mentioned in the report) is a negative.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import {
  RAW_BLANK,
  RAW_POSITIVE,
  RAW_UNCERTAIN,
  type ExampleRef,
  type LabelSource,
  type RawExample,
  type UncertaintyPolicy,
} from './dataset-types.ts';

/** Model finding → names it goes by in the public datasets (compared after `normaliseLabel`). */
export const FINDING_SYNONYMS: Record<string, readonly string[]> = {
  cardiomegaly: ['cardiomegaly'],
  pleural_effusion: ['pleural effusion', 'effusion'],
  pneumothorax: ['pneumothorax'],
  // CheXpert / MIMIC-CXR "Lung Lesion" is their nodule-or-mass finding.
  nodule: ['nodule', 'mass', 'lung lesion', 'multiple nodules', 'pulmonary mass'],
  pneumonia: ['pneumonia'],
  atelectasis: ['atelectasis'],
  consolidation: ['consolidation'],
  edema: ['edema', 'pulmonary edema'],
  fracture: ['fracture'],
  lung_opacity: ['lung opacity'],
  enlarged_cardiomediastinum: ['enlarged cardiomediastinum'],
  support_devices: ['support devices'],
  pleural_other: ['pleural other'],
  pleural_thickening: ['pleural thickening'],
  infiltration: ['infiltration'],
  emphysema: ['emphysema'],
  fibrosis: ['fibrosis'],
  hernia: ['hernia'],
  no_finding: ['no finding', 'normal'],
};

export const UNCERTAINTY_POLICIES: readonly UncertaintyPolicy[] = ['ignore', 'ones', 'zeros'];

/** Lower case, `_` and runs of spaces as one space, trimmed. */
export function normaliseLabel(name: string): string {
  return name.trim().toLowerCase().replace(/[_\s]+/g, ' ');
}

/** A parsed `--labels` entry: the model label and, optionally, the dataset columns to read it from. */
export interface LabelRequest {
  label: string;
  columns?: string[];
}

/**
 * Parses `--labels`: comma-separated model labels, each optionally `=COLUMN|COLUMN…`, e.g.
 * `cardiomegaly,pleural_effusion=Pleural Effusion,nodule=Mass|Nodule`.
 */
export function parseLabelRequests(text: string): LabelRequest[] {
  const out: LabelRequest[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [name = '', sources] = part.split('=', 2) as [string, string | undefined];
    const label = name.trim();
    if (!/^[a-z][a-z0-9_]*$/.test(label)) {
      throw new RadLocalError('CLI_USAGE', `Expected --labels entries like nodule or nodule=Mass|Nodule (model labels in lower case with _), but got "${part}".`);
    }
    const columns = sources?.split('|').map((c) => c.trim()).filter((c) => c !== '');
    out.push(columns && columns.length > 0 ? { label, columns } : { label });
  }
  if (out.length === 0) throw new RadLocalError('CLI_USAGE', `Expected at least one label in --labels, but got "${text}".`);
  return out;
}

/** Parses `--uncertain`: a default policy and/or per-label ones, e.g. `ignore` or `zeros,edema=ones`. */
export function parseUncertainty(text: string | undefined): { default: UncertaintyPolicy; perLabel: Record<string, UncertaintyPolicy> } {
  const result = { default: 'ignore' as UncertaintyPolicy, perLabel: {} as Record<string, UncertaintyPolicy> };
  if (text === undefined) return result;
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [a = '', b] = part.split('=', 2) as [string, string | undefined];
    const policy = (b ?? a).trim().toLowerCase().replace(/^u-/, '') as UncertaintyPolicy;
    if (!UNCERTAINTY_POLICIES.includes(policy)) {
      throw new RadLocalError('CLI_USAGE', `Expected --uncertain ignore, ones or zeros (optionally per label: edema=ones), but got "${part}".`);
    }
    if (b === undefined) result.default = policy;
    else result.perLabel[a.trim()] = policy;
  }
  return result;
}

/** Dataset columns that a model label reads by default: its synonyms, else the same name. */
export function defaultColumns(label: string, datasetLabels: readonly string[]): string[] {
  const names = new Set([...(FINDING_SYNONYMS[label] ?? []), normaliseLabel(label)]);
  return datasetLabels.filter((c) => names.has(normaliseLabel(c)));
}

export interface LabelMapping {
  labels: string[];
  mapping: Record<string, LabelSource>;
  unusedColumns: string[];
}

/**
 * Resolves the model labels against the dataset's labels: each requested label reads the
 * columns it names, else its synonyms (FINDING_SYNONYMS), else the column of the same name.
 * Without requests every dataset label is a model label of the same name. DATASET_INVALID
 * when a requested label has no column, naming the columns there are.
 */
export function resolveLabelMapping(
  datasetLabels: readonly string[],
  requests: readonly LabelRequest[] | undefined,
  uncertainty: { default: UncertaintyPolicy; perLabel: Record<string, UncertaintyPolicy> } = parseUncertainty(undefined),
  layout = 'dataset',
): LabelMapping {
  const wanted: LabelRequest[] = requests ? [...requests] : datasetLabels.map((column) => ({ label: column, columns: [column] }));
  const mapping: Record<string, LabelSource> = {};
  const used = new Set<string>();
  for (const request of wanted) {
    const columns = request.columns ?? defaultColumns(request.label, datasetLabels);
    const unknown = columns.filter((c) => !datasetLabels.includes(c));
    if (columns.length === 0 || unknown.length > 0) {
      throw new RadLocalError(
        'DATASET_INVALID',
        `Expected the ${layout} dataset to provide the label "${request.label}"${unknown.length ? ` (column ${unknown.map((c) => `"${c}"`).join(', ')})` : ''}, ` +
          `but its labels are: ${datasetLabels.join(', ')}. Map it with --labels ${request.label}=COLUMN, or leave it out of --labels.`,
      );
    }
    for (const c of columns) used.add(c);
    mapping[request.label] = { columns, uncertain: uncertainty.perLabel[request.label] ?? uncertainty.default };
  }
  for (const label of Object.keys(uncertainty.perLabel)) {
    if (!mapping[label]) throw new RadLocalError('CLI_USAGE', `Expected --uncertain to name a model label (${Object.keys(mapping).join(', ')}), but got "${label}".`);
  }
  return { labels: wanted.map((w) => w.label), mapping, unusedColumns: datasetLabels.filter((c) => !used.has(c)) };
}

/** The raw value of a model label: positive if any column is, else uncertain, else negative, else blank. */
function combine(values: Int8Array, indices: readonly number[]): number {
  let best = RAW_BLANK;
  for (const k of indices) {
    const v = values[k] as number;
    if (v === RAW_POSITIVE) return RAW_POSITIVE;
    if (v === RAW_UNCERTAIN) best = RAW_UNCERTAIN;
    else if (v > best) best = v; // negative beats blank
  }
  return best;
}

/** Maps a raw example onto the model labels (0/1 plus `known` when any is unknown). */
export function createLabelApplier(datasetLabels: readonly string[], resolved: LabelMapping): (raw: RawExample) => ExampleRef {
  const plan = resolved.labels.map((label) => {
    const source = resolved.mapping[label] as LabelSource;
    return { indices: source.columns.map((c) => datasetLabels.indexOf(c)), policy: source.uncertain };
  });
  return (raw) => {
    const labels = new Uint8Array(plan.length);
    let known: Uint8Array | undefined;
    plan.forEach(({ indices, policy }, j) => {
      const v = combine(raw.values, indices);
      if (v === RAW_POSITIVE || (v === RAW_UNCERTAIN && policy === 'ones')) labels[j] = 1;
      else if (v === RAW_UNCERTAIN && policy === 'ignore') {
        known ??= new Uint8Array(plan.length).fill(1);
        known[j] = 0;
      }
    });
    const ref: ExampleRef = { path: raw.path, patientId: raw.patientId, labels };
    if (known) ref.known = known;
    if (raw.view) ref.view = raw.view;
    return ref;
  };
}
