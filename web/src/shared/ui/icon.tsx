/** Bundled line icons (24 × 24, stroke = currentColor). No icon font, no third-party origin. */
const PATHS = {
  open: 'M3 7h6l2 2h10v10H3z M3 7V5h6',
  folder: 'M3 6h6l2 2h10v11H3z',
  window: 'M12 3a9 9 0 1 0 0 18z M12 3a9 9 0 0 1 0 18',
  zoom: 'M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M15.5 15.5 21 21 M10.5 7.5v6 M7.5 10.5h6',
  pan: 'M12 3v18 M3 12h18 M12 3l-3 3 M12 3l3 3 M12 21l-3-3 M12 21l3-3 M3 12l3-3 M3 12l3 3 M21 12l-3-3 M21 12l-3 3',
  invert: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 3v18',
  rotate: 'M20 11a8 8 0 1 0-2.3 5.7 M20 4v7h-7',
  flipH: 'M12 3v18 M9 7 4 12l5 5z M15 7l5 5-5 5z',
  flipV: 'M3 12h18 M7 9l5-5 5 5z M7 15l5 5 5-5z',
  fit: 'M4 9V4h5 M20 9V4h-5 M4 15v5h5 M20 15v5h-5',
  reset: 'M4 12a8 8 0 1 0 2.3-5.7 M4 4v5h5',
  heat: 'M12 3c3 4 6 6.5 6 10.5a6 6 0 0 1-12 0C6 10 8 8 9 6c.5 2 1.5 3 3 3.5C12 7 12 5 12 3z',
  play: 'M7 4l13 8-13 8z',
  pause: 'M7 4h4v16H7z M14 4h4v16h-4z',
  help: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5 M12 17v.5',
  download: 'M12 4v11 M7 10l5 5 5-5 M4 19h16',
  print: 'M6 9V3h12v6 M6 18H3v-8h18v8h-3 M6 14h12v7H6z',
  close: 'M5 5l14 14 M19 5 5 19',
  warning: 'M12 3 2 20h20z M12 9v5 M12 17v.5',
  shield: 'M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6z',
  chip: 'M7 7h10v10H7z M10 3v4 M14 3v4 M10 17v4 M14 17v4 M3 10h4 M3 14h4 M17 10h4 M17 14h4',
  list: 'M8 6h13 M8 12h13 M8 18h13 M3 6h.5 M3 12h.5 M3 18h.5',
  tags: 'M3 3h8l10 10-8 8L3 11z M7.5 7.5h.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.7} strokeLinecap="round" strokeLinejoin="round" aria-hidden={title ? undefined : true} role={title ? 'img' : undefined}>
      {title && <title>{title}</title>}
      <path d={PATHS[name]} />
    </svg>
  );
}
