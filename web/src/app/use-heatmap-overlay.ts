import { useMemo } from 'react';
import { useStore } from '../shared/store/create-store.ts';
import type { HeatmapOverlay } from '../features/viewport/draw-heatmap.ts';
import { viewportUiStore } from '../shared/viewport/viewport-store.ts';
import type { FindingEntry } from '../shared/findings/findings-store.ts';
import { topLabel } from '../features/findings/top-label.ts';

/**
 * The activation map of the chosen (default: top) finding, placed by the preprocessing
 * geometry. None for an out-of-distribution image: a map there would suggest evidence the
 * model cannot give.
 */
export function useHeatmapOverlay(entry: FindingEntry | undefined): HeatmapOverlay | undefined {
  const chosen = useStore(viewportUiStore, (s) => s.heatmapLabel);
  const prediction = entry?.prediction;
  return useMemo(() => {
    if (!prediction?.cam || !prediction.geometry || prediction.ood.flagged) return undefined;
    const label = chosen && prediction.labels.includes(chosen) ? chosen : topLabel(prediction);
    const map = label ? prediction.cam[label] : undefined;
    if (!map) return undefined;
    return { cam: map.data, camWidth: map.width, camHeight: map.height, geometry: prediction.geometry };
  }, [prediction, chosen]);
}
