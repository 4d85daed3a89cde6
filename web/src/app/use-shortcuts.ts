/** Global keyboard shortcuts (ignored while typing in a field). */
import { useEffect, useRef } from 'react';
import { applyPreset, fit, reset, toggleInvert } from '../features/viewport/viewport-actions.ts';
import { setViewportUi, viewportUiStore } from '../shared/viewport/viewport-store.ts';
import { PRESETS } from '../features/viewport/window-presets.ts';

interface ShortcutHandlers {
  step: (delta: number) => void;
  /** Next (+1) / previous (−1) case in the worklist's order. */
  stepCase: (delta: number) => void;
  toggleHelp: () => void;
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) && (target as HTMLInputElement).type !== 'range') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key;
      const preset = PRESETS.find((p) => p.key === key);
      const ui = viewportUiStore.get();
      let handled = true;
      if (key === 'w' || key === 'W') setViewportUi({ tool: 'window' });
      else if (key === 'z' || key === 'Z') setViewportUi({ tool: 'zoom' });
      else if (key === 'p' || key === 'P') setViewportUi({ tool: 'pan' });
      else if (key === 'i' || key === 'I') toggleInvert();
      else if (key === 'r' || key === 'R') reset();
      else if (key === 'f' || key === 'F') fit();
      else if (key === 'h' || key === 'H') setViewportUi({ heatmapVisible: !ui.heatmapVisible });
      else if (key === 'c' || key === 'C') setViewportUi({ cinePlaying: !ui.cinePlaying });
      else if (key === 'o' || key === 'O') document.getElementById('file-input')?.click();
      else if (key === 'ArrowRight' || key === 'ArrowDown') ref.current.step(1);
      else if (key === 'ArrowLeft' || key === 'ArrowUp') ref.current.step(-1);
      else if (key === 'j' || key === 'J' || key === 'PageDown') ref.current.stepCase(1);
      else if (key === 'k' || key === 'K' || key === 'PageUp') ref.current.stepCase(-1);
      else if (key === '?') ref.current.toggleHelp();
      else if (preset) void applyPreset(preset.name);
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
