/** Keyboard shortcuts, one table for the handler and the help dialog. */
export const SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: 'W', action: 'Window/level tool (drag: horizontal = width, vertical = level)' },
  { keys: 'Z', action: 'Zoom tool (or right-button drag, Ctrl + wheel)' },
  { keys: 'P', action: 'Pan tool (or middle-button drag)' },
  { keys: 'I', action: 'Invert' },
  { keys: 'R', action: 'Reset view' },
  { keys: 'F', action: 'Fit to window' },
  { keys: 'H', action: 'Heatmap on/off' },
  { keys: '1 – 4', action: 'Window presets: from file, lung, bone, soft tissue' },
  { keys: '← ↑ / → ↓', action: 'Previous / next frame (also mouse wheel)' },
  { keys: 'J / K (Page Down / Up)', action: 'Next / previous case in the worklist order' },
  { keys: 'C', action: 'Cine play/stop' },
  { keys: 'O', action: 'Open files' },
  { keys: '?', action: 'This help' },
];
