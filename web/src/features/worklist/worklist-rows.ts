/**
 * Worklist rows: one per study, summarising the predictions of its images (first frame of
 * each): the top finding over the study, OOD if any image is flagged, and a status.
 */
import type { FindingEntry } from '../../shared/findings/findings-store.ts';
import { findingKey } from '../../shared/findings/findings-store.ts';
import type { PatientGroup, StudyGroup } from '../../shared/session/group-studies.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';

export type RowStatus = 'waiting' | 'analysing' | 'done' | 'error';

export interface WorklistRow {
  studyKey: string;
  firstSeriesKey: string;
  /** Every series of the study (the row is selected when any of them is on screen). */
  seriesKeys: string[];
  patient: string;
  patientId: string;
  study: string;
  date: string;
  images: number;
  topLabel: string | undefined;
  topScore: number | undefined;
  /** undefined until a prediction exists. */
  ood: boolean | undefined;
  /** Why images of the study were flagged out of distribution (distinct sentences). */
  oodReasons: string[];
  positives: number;
  /** Findings positive on at least one image of the study. */
  positiveLabels: string[];
  status: RowStatus;
  analysed: number;
}

/**
 * What one row was computed from, to reuse it while nothing of its study changed: triage
 * results arrive a few times a second, and re-deriving 10,000 rows each time kept the page busy.
 */
interface RowInputs {
  patient: PatientGroup;
  study: StudyGroup;
  files: OpenedFile[];
  entries: (FindingEntry | undefined)[];
  row: WorklistRow;
}

let cache = new Map<string, RowInputs>();

function sameInputs(before: RowInputs | undefined, patient: PatientGroup, study: StudyGroup, files: readonly OpenedFile[], entries: readonly (FindingEntry | undefined)[]): boolean {
  if (!before || before.files.length !== files.length) return false;
  if (before.study !== study || before.patient !== patient) {
    // Regrouped (another file changed): same row if its texts and series are the same.
    const a = before.study;
    if (a.description !== study.description || a.date !== study.date || before.patient.name !== patient.name || before.patient.id !== patient.id) return false;
    if (a.series.length !== study.series.length || a.series.some((s, i) => s.key !== study.series[i]?.key)) return false;
  }
  for (let i = 0; i < files.length; i++) if (before.files[i] !== files[i] || before.entries[i] !== entries[i]) return false;
  return true;
}

export function worklistRows(patients: readonly PatientGroup[], findings: ReadonlyMap<string, FindingEntry>): WorklistRow[] {
  const rows: WorklistRow[] = [];
  const next = new Map<string, RowInputs>();
  for (const patient of patients) {
    for (const study of patient.studies) {
      const files = study.series.flatMap((s) => s.files);
      const entries = files.map((file) => findings.get(findingKey(file.id, 0)));
      const before = cache.get(study.key);
      const row = before && sameInputs(before, patient, study, files, entries) ? before.row : studyRow(patient, study, files, entries);
      next.set(study.key, { patient, study, files, entries, row });
      rows.push(row);
    }
  }
  cache = next;
  return rows;
}

function studyRow(patient: PatientGroup, study: StudyGroup, files: readonly OpenedFile[], entries: readonly (FindingEntry | undefined)[]): WorklistRow {
  let topLabel: string | undefined;
  let topScore: number | undefined;
  let ood: boolean | undefined;
  const oodReasons = new Set<string>();
  let positives = 0;
  const positiveLabels = new Set<string>();
  let analysed = 0;
  let errors = 0;
  let running = false;
  for (const entry of entries) {
    if (entry?.status === 'running') running = true;
    if (entry?.status === 'error') errors++;
    const p = entry?.prediction;
    if (!p) continue;
    analysed++;
    ood = (ood ?? false) || p.ood.flagged;
    for (const reason of p.ood.reasons) oodReasons.add(reason);
    positives += p.positives.length;
    for (const label of p.positives) positiveLabels.add(label);
    for (const label of p.labels) {
      const score = p.scores[label] ?? 0;
      if (topScore === undefined || score > topScore) {
        topScore = score;
        topLabel = label;
      }
    }
  }
  const finished = analysed + errors === files.length;
  return {
    studyKey: study.key,
    firstSeriesKey: study.series[0]?.key ?? '',
    seriesKeys: study.series.map((s) => s.key),
    patient: patient.name,
    patientId: patient.id,
    study: study.description,
    date: study.date,
    images: files.length,
    topLabel,
    topScore,
    ood,
    oodReasons: [...oodReasons],
    positives,
    positiveLabels: [...positiveLabels],
    status: finished ? (errors > 0 && analysed === 0 ? 'error' : 'done') : running || analysed > 0 ? 'analysing' : 'waiting',
    analysed,
  };
}

export type SortKey = 'patient' | 'study' | 'date' | 'topScore' | 'ood' | 'status';

const STATUS_ORDER: Record<RowStatus, number> = { error: 0, analysing: 1, waiting: 2, done: 3 };

/** Which rows to show: all, studies with any positive finding, or with a given one. */
export type RowFilter = { kind: 'all' } | { kind: 'positive'; label?: string };

export function filterRows(rows: readonly WorklistRow[], filter: RowFilter): readonly WorklistRow[] {
  if (filter.kind === 'all') return rows;
  const label = filter.label;
  return rows.filter((r) => (label === undefined ? r.positiveLabels.length > 0 : r.positiveLabels.includes(label)));
}

/** Stable sort; rows without a value sort last whatever the direction. */
export function sortRows(rows: readonly WorklistRow[], key: SortKey, descending: boolean): WorklistRow[] {
  const value = (r: WorklistRow): string | number | undefined => {
    switch (key) {
      case 'patient':
        return r.patient.toLowerCase();
      case 'study':
        return r.study.toLowerCase();
      case 'date':
        return r.date || undefined;
      case 'topScore':
        return r.topScore;
      case 'ood':
        return r.ood === undefined ? undefined : r.ood ? 1 : 0;
      case 'status':
        return STATUS_ORDER[r.status];
    }
  };
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      if (a.v === undefined && b.v === undefined) return a.index - b.index;
      if (a.v === undefined) return 1;
      if (b.v === undefined) return -1;
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return (descending ? -c : c) || a.index - b.index;
    })
    .map((x) => x.row);
}
