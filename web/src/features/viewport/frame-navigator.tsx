/** Slider and cine for multi-frame files and multi-image series. */
import { useEffect } from 'react';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { setViewportUi, viewportUiStore } from '../../shared/viewport/viewport-store.ts';

interface FrameNavigatorProps {
  index: number;
  total: number;
  onChange: (index: number) => void;
  /** Advances by `delta` frames, wrapping around (cine). */
  onStep: (delta: number) => void;
}

export function FrameNavigator({ index, total, onChange, onStep }: FrameNavigatorProps) {
  const playing = useStore(viewportUiStore, (s) => s.cinePlaying);
  const fps = useStore(viewportUiStore, (s) => s.cineFps);
  useEffect(() => {
    if (!playing || total < 2) return;
    const timer = setInterval(() => onStep(1), 1000 / fps);
    return () => clearInterval(timer);
  }, [playing, fps, total, onStep]);
  if (total < 2) return null;
  return (
    <div className="frame-navigator">
      <button
        type="button"
        className="tool"
        aria-label={playing ? 'Stop cine' : 'Play cine'}
        title="Cine (C)"
        onClick={() => setViewportUi({ cinePlaying: !playing })}
        data-testid="cine-toggle"
      >
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <input
        type="range"
        min={0}
        max={total - 1}
        value={index}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label="Frame"
        data-testid="frame-slider"
        className="frame-slider"
      />
      <span className="frame-count" data-testid="frame-count">
        {index + 1} / {total}
      </span>
      <label className="fps">
        <input
          type="number"
          min={1}
          max={60}
          value={fps}
          onChange={(e) => setViewportUi({ cineFps: Math.min(60, Math.max(1, Number(e.target.value) || 1)) })}
          aria-label="Cine frames per second"
        />
        fps
      </label>
    </div>
  );
}
