/**
 * View positions and eligibility. The model reads frontal chest radiographs: by default only
 * PA and AP views are kept. Each layout normalises its own view column (CheXpert
 * Frontal/Lateral + AP/PA, MIMIC-CXR ViewPosition, PadChest Projection, NIH View Position);
 * the image scan adds the DICOM ViewPosition (0018,5101) for layouts that name no view.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

/** PA and AP (PadChest AP_horizontal normalises to AP), and FRONTAL: CheXpert frontal images whose AP/PA cell is blank. */
export const FRONTAL_VIEWS = ['PA', 'AP', 'FRONTAL'] as const;

/** Which views to keep: 'frontal' (PA, AP), 'all', or a list of normalised views. */
export type ViewSelection = 'frontal' | 'all' | string[];

const ALIASES: Record<string, string> = {
  'AP_HORIZONTAL': 'AP',
  'AP HORIZONTAL': 'AP',
  'AP SUPINE': 'AP',
  'POSTERO_ANTERIOR': 'PA',
  'POSTEROANTERIOR': 'PA',
  'ANTERO_POSTERIOR': 'AP',
  'ANTEROPOSTERIOR': 'AP',
  L: 'LATERAL',
  LAT: 'LATERAL',
};

/** Upper-case, trimmed, with the aliases above ('' when blank). */
export function normaliseView(value: string | undefined): string {
  const v = (value ?? '').trim().toUpperCase();
  return ALIASES[v] ?? v;
}

export function parseViewSelection(text: string | undefined): ViewSelection {
  if (text === undefined || text === 'frontal') return 'frontal';
  if (text === 'all') return 'all';
  const views = text.split(',').map(normaliseView).filter((v) => v !== '');
  if (views.length === 0) throw new RadLocalError('CLI_USAGE', `Expected --views frontal, all or a list such as PA,AP, but got "${text}".`);
  return views;
}

export function describeViews(selection: ViewSelection): string {
  return selection === 'frontal' ? 'frontal (PA, AP)' : selection === 'all' ? 'all views' : selection.join(', ');
}

/**
 * Whether an image with `view` is kept; the reason it is left out otherwise. A view the
 * layout does not give ('' or undefined) is kept unless `viewRequired` (the layout has a view
 * column and this row leaves it blank).
 */
export function viewVerdict(view: string | undefined, selection: ViewSelection, viewRequired: boolean): { keep: true } | { keep: false; reason: string } {
  if (selection === 'all') return { keep: true };
  const wanted: readonly string[] = selection === 'frontal' ? FRONTAL_VIEWS : selection;
  if (view === undefined || view === '') return viewRequired ? { keep: false, reason: 'view not given' } : { keep: true };
  return wanted.includes(view) ? { keep: true } : { keep: false, reason: `view ${view}` };
}
