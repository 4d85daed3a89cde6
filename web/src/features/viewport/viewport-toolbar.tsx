/** Viewport tools: window, zoom, pan, invert, rotate, flip, fit, reset, presets, heatmap. */
import { useStore } from '../../shared/store/create-store.ts';
import { Icon, type IconName } from '../../shared/ui/icon.tsx';
import { applyPreset, fit, flip, reset, rotate, toggleInvert } from './viewport-actions.ts';
import { setViewportUi, viewportUiStore, type Tool } from '../../shared/viewport/viewport-store.ts';
import { PRESETS, type PresetName } from './window-presets.ts';

const TOOLS: ReadonlyArray<{ tool: Tool; icon: IconName; label: string; key: string }> = [
  { tool: 'window', icon: 'window', label: 'Window/level', key: 'W' },
  { tool: 'zoom', icon: 'zoom', label: 'Zoom', key: 'Z' },
  { tool: 'pan', icon: 'pan', label: 'Pan', key: 'P' },
];

function ActionButton({ icon, label, onClick, testId }: { icon: IconName; label: string; onClick: () => void; testId?: string }) {
  return (
    <button type="button" className="tool" title={label} aria-label={label} onClick={onClick} data-testid={testId}>
      <Icon name={icon} />
    </button>
  );
}

/** @param heatmapUnavailable why there is no heatmap for the image on screen, if there is none. */
export function ViewportToolbar({ hasHeatmap, heatmapUnavailable }: { hasHeatmap: boolean; heatmapUnavailable?: string }) {
  const tool = useStore(viewportUiStore, (s) => s.tool);
  const heatmapVisible = useStore(viewportUiStore, (s) => s.heatmapVisible);
  const opacity = useStore(viewportUiStore, (s) => s.heatmapOpacity);
  return (
    <div className="toolbar" role="toolbar" aria-label="Viewport tools">
      <div className="tool-group">
        {TOOLS.map((t) => (
          <button
            key={t.tool}
            type="button"
            className={`tool${tool === t.tool ? ' active' : ''}`}
            title={`${t.label} (${t.key})`}
            aria-label={t.label}
            aria-pressed={tool === t.tool}
            onClick={() => setViewportUi({ tool: t.tool })}
            data-testid={`tool-${t.tool}`}
          >
            <Icon name={t.icon} />
          </button>
        ))}
      </div>
      <div className="tool-group">
        <ActionButton icon="invert" label="Invert (I)" onClick={toggleInvert} testId="tool-invert" />
        <ActionButton icon="rotate" label="Rotate 90°" onClick={() => rotate(90)} testId="tool-rotate" />
        <ActionButton icon="flipH" label="Flip horizontal" onClick={() => flip('h')} testId="tool-flip-h" />
        <ActionButton icon="flipV" label="Flip vertical" onClick={() => flip('v')} testId="tool-flip-v" />
        <ActionButton icon="fit" label="Fit to window (F)" onClick={fit} testId="tool-fit" />
        <ActionButton icon="reset" label="Reset (R)" onClick={reset} testId="tool-reset" />
      </div>
      <div className="tool-group">
        <label className="select-label">
          <span className="visually-hidden">Window preset</span>
          <select
            className="select"
            data-testid="window-preset"
            defaultValue=""
            onChange={(e) => {
              const value = e.target.value as PresetName | '';
              if (value) void applyPreset(value);
              e.target.value = '';
            }}
          >
            <option value="" disabled>
              Window preset…
            </option>
            {PRESETS.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label} ({p.key})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="tool-group heatmap-controls">
        <button
          type="button"
          className={`tool tool-wide${heatmapVisible && hasHeatmap ? ' active' : ''}`}
          title={hasHeatmap ? 'Heatmap (H)' : (heatmapUnavailable ?? 'No heatmap for this image')}
          aria-pressed={heatmapVisible}
          disabled={!hasHeatmap}
          onClick={() => setViewportUi({ heatmapVisible: !heatmapVisible })}
          data-testid="heatmap-toggle"
        >
          <Icon name="heat" />
          <span>Heatmap</span>
        </button>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          disabled={!hasHeatmap || !heatmapVisible}
          aria-label="Heatmap opacity"
          data-testid="heatmap-opacity"
          onChange={(e) => setViewportUi({ heatmapOpacity: Number(e.target.value) })}
        />
      </div>
    </div>
  );
}
