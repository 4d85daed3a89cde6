/**
 * Patients → studies → series, with thumbnails; clicking a series shows it. Windowed: a
 * session of 10,000 images keeps only the entries in view in the DOM.
 */
import { useMemo } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import { groupStudies, type PatientGroup, type SeriesGroup, type StudyGroup } from '../../shared/session/group-studies.ts';
import { VirtualList } from '../../shared/ui/virtual-list.tsx';
import { SeriesThumbnail } from './series-thumbnail.tsx';
import { select, sessionStore } from '../../shared/session/session-store.ts';

type Entry =
  | { kind: 'patient'; key: string; patient: PatientGroup }
  | { kind: 'study'; key: string; study: StudyGroup }
  | { kind: 'series'; key: string; series: SeriesGroup };

const HEIGHTS: Record<Entry['kind'], number> = { patient: 28, study: 24, series: 74 };
const heightOf = (e: Entry): number => HEIGHTS[e.kind];
const keyOf = (e: Entry): string => e.key;

function flatten(patients: readonly PatientGroup[]): Entry[] {
  const out: Entry[] = [];
  for (const patient of patients) {
    out.push({ kind: 'patient', key: `p:${patient.key}`, patient });
    for (const study of patient.studies) {
      out.push({ kind: 'study', key: `s:${study.key}`, study });
      for (const series of study.series) out.push({ kind: 'series', key: series.key, series });
    }
  }
  return out;
}

function SeriesItem({ series, selected }: { series: SeriesGroup; selected: boolean }) {
  return (
    <button type="button" className={`series-item${selected ? ' selected' : ''}`} onClick={() => select({ seriesKey: series.key, index: 0 })} data-testid="series-item">
      <SeriesThumbnail thumbnail={series.files[0]?.thumbnail} />
      <span className="series-text">
        <span className="series-modality">{series.modality ?? 'IMG'}</span>
        <span className="series-description">{series.description}</span>
        <span className="muted small">
          {series.files.length} image{series.files.length === 1 ? '' : 's'}
          {series.frameCount > series.files.length ? ` · ${series.frameCount} frames` : ''}
        </span>
      </span>
    </button>
  );
}

export function StudyBrowser() {
  const files = useStore(sessionStore, (s) => s.files);
  const selectedSeries = useStore(sessionStore, (s) => s.selection?.seriesKey);
  const patients = useMemo(() => groupStudies(files), [files]);
  const entries = useMemo(() => flatten(patients), [patients]);
  const decoding = useMemo(() => files.reduce((n, f) => n + (f.status === 'decoding' ? 1 : 0), 0), [files]);
  const selectedIndex = useMemo(() => entries.findIndex((e) => e.key === selectedSeries), [entries, selectedSeries]);
  if (patients.length === 0 && decoding === 0) return <p className="muted small">No study open.</p>;
  return (
    <div className="study-browser" data-testid="study-browser">
      {decoding > 0 && <p className="muted small">Reading {decoding} file{decoding === 1 ? '' : 's'}…</p>}
      <VirtualList
        items={entries}
        rowHeight={heightOf}
        keyOf={keyOf}
        scrollToIndex={selectedIndex}
        className="study-list"
        renderRow={(entry) =>
          entry.kind === 'patient' ? (
            <h3 className="patient-name" title={entry.patient.id}>
              {entry.patient.name}
              {entry.patient.id && <span className="muted"> · {entry.patient.id}</span>}
            </h3>
          ) : entry.kind === 'study' ? (
            <div className="study-title">
              {entry.study.description}
              {entry.study.date && <span className="muted"> · {formatDicomDate(entry.study.date)}</span>}
            </div>
          ) : (
            <SeriesItem series={entry.series} selected={entry.series.key === selectedSeries} />
          )
        }
      />
    </div>
  );
}
