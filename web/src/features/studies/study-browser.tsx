/** Patients → studies → series, with thumbnails; clicking a series shows it. */
import { useMemo } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import { groupStudies } from '../../shared/session/group-studies.ts';
import { SeriesThumbnail } from './series-thumbnail.tsx';
import { select, sessionStore } from './session-store.ts';

export function StudyBrowser() {
  const files = useStore(sessionStore, (s) => s.files);
  const selectedSeries = useStore(sessionStore, (s) => s.selection?.seriesKey);
  const patients = useMemo(() => groupStudies(files), [files]);
  const decoding = files.filter((f) => f.status === 'decoding').length;
  if (patients.length === 0 && decoding === 0) return <p className="muted small">No study open.</p>;
  return (
    <div className="study-browser" data-testid="study-browser">
      {decoding > 0 && <p className="muted small">Reading {decoding} file{decoding === 1 ? '' : 's'}…</p>}
      {patients.map((patient) => (
        <section key={patient.key} className="patient">
          <h3 className="patient-name" title={patient.id}>
            {patient.name}
            {patient.id && <span className="muted"> · {patient.id}</span>}
          </h3>
          {patient.studies.map((study) => (
            <div key={study.key} className="study">
              <div className="study-title">
                {study.description}
                {study.date && <span className="muted"> · {formatDicomDate(study.date)}</span>}
              </div>
              <ul className="series-list">
                {study.series.map((series) => (
                  <li key={series.key}>
                    <button
                      type="button"
                      className={`series-item${series.key === selectedSeries ? ' selected' : ''}`}
                      onClick={() => select({ seriesKey: series.key, index: 0 })}
                      data-testid="series-item"
                    >
                      {series.files[0] && <SeriesThumbnail fileId={series.files[0].id} />}
                      <span className="series-text">
                        <span className="series-modality">{series.modality ?? 'IMG'}</span>
                        <span className="series-description">{series.description}</span>
                        <span className="muted small">
                          {series.files.length} image{series.files.length === 1 ? '' : 's'}
                          {series.frameCount > series.files.length ? ` · ${series.frameCount} frames` : ''}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
