/** What the viewport shows: the selected series, the (file, frame) at the current position. */
import { useCallback, useMemo } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { frameAt, groupStudies, type SeriesGroup, type StudyGroup } from '../../shared/session/group-studies.ts';
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { select, sessionStore } from '../../shared/session/session-store.ts';

export interface CurrentView {
  study: StudyGroup | undefined;
  series: SeriesGroup | undefined;
  file: OpenedFile | undefined;
  frame: number;
  index: number;
  total: number;
  setIndex: (index: number) => void;
  step: (delta: number) => void;
}

export function useCurrentView(): CurrentView {
  const files = useStore(sessionStore, (s) => s.files);
  const selection = useStore(sessionStore, (s) => s.selection);
  const patients = useMemo(() => groupStudies(files), [files]);
  let study: StudyGroup | undefined;
  let series: SeriesGroup | undefined;
  for (const p of patients) {
    for (const s of p.studies) {
      const found = s.series.find((g) => g.key === selection?.seriesKey);
      if (found) {
        study = s;
        series = found;
      }
    }
  }
  if (!series && selection) {
    // The selected series is gone (its only file turned out unreadable): show the first one.
    study = patients[0]?.studies[0];
    series = study?.series[0];
  }
  const total = series?.frameCount ?? 0;
  const index = series?.key === selection?.seriesKey ? Math.min(selection?.index ?? 0, Math.max(0, total - 1)) : 0;
  const at = series ? frameAt(series, index) : undefined;
  const seriesKey = series?.key;
  const setIndex = useCallback(
    (i: number) => {
      if (seriesKey) select({ seriesKey, index: Math.min(Math.max(0, i), Math.max(0, total - 1)) });
    },
    [seriesKey, total],
  );
  const step = useCallback(
    (delta: number) => {
      const current = sessionStore.get().selection;
      if (!seriesKey || !current || total < 1) return;
      select({ seriesKey, index: (((current.index + delta) % total) + total) % total });
    },
    [seriesKey, total],
  );
  return { study, series, file: at?.file, frame: at?.frame ?? 0, index, total, setIndex, step };
}
