/**
 * UI state of the viewport (tool, heatmap, cine), shared by the toolbar, the keyboard
 * shortcuts and the viewport itself.
 */
import { createStore } from '../store/create-store.ts';

export type Tool = 'window' | 'zoom' | 'pan';

export interface ViewportUiState {
  tool: Tool;
  heatmapVisible: boolean;
  /** 0 … 1. */
  heatmapOpacity: number;
  /** Finding whose activation map is drawn; undefined = the highest-scoring one. */
  heatmapLabel: string | undefined;
  cinePlaying: boolean;
  /** Frames per second. */
  cineFps: number;
  /** Live window and zoom, for the overlay and the status line. */
  window: { center: number; width: number } | undefined;
  scale: number | undefined;
}

export const viewportUiStore = createStore<ViewportUiState>({
  tool: 'window',
  heatmapVisible: true,
  heatmapOpacity: 0.45,
  heatmapLabel: undefined,
  cinePlaying: false,
  cineFps: 12,
  window: undefined,
  scale: undefined,
});

export function setViewportUi(patch: Partial<ViewportUiState>): void {
  viewportUiStore.set((s) => ({ ...s, ...patch }));
}
