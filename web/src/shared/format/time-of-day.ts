/**
 * A time of day in the reader's locale, as `new Date(time).toLocaleTimeString()` writes it, from
 * one formatter made once: `toLocaleTimeString` builds a new one per call, and the request logs
 * format a row per request on every render.
 */
let format: Intl.DateTimeFormat | undefined;

/** @param time milliseconds since the epoch, or a date string. */
export function formatTimeOfDay(time: number | string): string {
  const epochMs = typeof time === 'string' ? Date.parse(time) : time;
  if (!Number.isFinite(epochMs)) return 'Invalid Date';
  format ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return format.format(epochMs);
}
