/**
 * Which of an imported model's output columns become which RadLocal findings. A model trained
 * elsewhere has its own label list (TorchXRayVision's DenseNets: 18 pathologies, some empty);
 * the import keeps a subset, renames it to RadLocal's lowercase label names and ignores the rest:
 *
 *   --output-labels Atelectasis,Consolidation,…,Cardiomegaly,…   the model's columns, in order
 *   --labels cardiomegaly=Cardiomegaly,pleural_effusion=Effusion  RadLocal name = column
 *
 * A column is named by its output label or by its 0-based index (`nodule=#7`). Without `=`,
 * `--labels a,b,c` names every column in order (the model has exactly that many outputs).
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

export interface OutputLabelMapping {
  /** RadLocal label names, in card order. */
  labels: string[];
  /** The model's output column of each label. */
  columns: number[];
  /** Output columns not imported (by name when the model's labels are known). */
  ignored: string[];
}

const usage = (message: string): RadLocalError => new RadLocalError('CLI_USAGE', message);
const LABEL = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * @param spec `--labels` split on commas.
 * @param outputLabels `--output-labels` split on commas (the model's own names), if given.
 * @param outputCount number of output columns of the model.
 */
export function mapOutputLabels(spec: string[], outputLabels: string[] | undefined, outputCount: number): OutputLabelMapping {
  if (outputLabels && outputLabels.length !== outputCount) {
    throw usage(`--output-labels names ${outputLabels.length} columns, but the model has ${outputCount} outputs.`);
  }
  const mapped = spec.some((s) => s.includes('='));
  let pairs: Array<[string, number]>;
  if (!mapped) {
    if (spec.length !== outputCount) {
      throw usage(
        `--labels names ${spec.length} findings, but the model has ${outputCount} outputs. Name every output in order, or import a subset with NAME=COLUMN pairs (COLUMN: an --output-labels name or #index), e.g. --labels cardiomegaly=#${Math.min(1, outputCount - 1)}.`,
      );
    }
    pairs = spec.map((name, i) => [name, i]);
  } else {
    pairs = spec.map((entry) => {
      const [name, column, ...rest] = entry.split('=').map((s) => s.trim());
      if (!name || !column || rest.length > 0) throw usage(`Expected NAME=COLUMN in --labels, but got "${entry}".`);
      if (column.startsWith('#')) {
        const index = Number(column.slice(1));
        if (!Number.isInteger(index) || index < 0 || index >= outputCount) throw usage(`Column ${column} in --labels is outside the model's ${outputCount} outputs (#0–#${outputCount - 1}).`);
        return [name, index];
      }
      if (!outputLabels) throw usage(`--labels maps "${name}" to the column "${column}", but --output-labels does not name the model's columns; give it, or use #index.`);
      const index = outputLabels.indexOf(column);
      if (index < 0) throw usage(`The column "${column}" of --labels is not among --output-labels (${outputLabels.join(', ')}).`);
      return [name, index];
    });
  }
  for (const [name] of pairs) {
    if (!LABEL.test(name)) throw usage(`Expected RadLocal label names in lowercase (a-z, 0-9, _ or -), but got "${name}".`);
  }
  const names = pairs.map(([n]) => n);
  const columns = pairs.map(([, c]) => c);
  if (new Set(names).size !== names.length) throw usage(`--labels names a finding twice (${names.join(', ')}).`);
  if (new Set(columns).size !== columns.length) throw usage(`--labels maps two findings to the same model output.`);
  const ignored: string[] = [];
  for (let c = 0; c < outputCount; c++) if (!columns.includes(c)) ignored.push(outputLabels?.[c] ?? `#${c}`);
  return { labels: names, columns, ignored };
}
