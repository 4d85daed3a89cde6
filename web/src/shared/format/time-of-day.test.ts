import { describe, expect, it } from 'vitest';
import { formatTimeOfDay } from './time-of-day.ts';

describe('formatTimeOfDay', () => {
  it('writes what toLocaleTimeString writes, from epoch milliseconds or a date string', () => {
    for (const ms of [0, 1_700_000_000_000, 1_764_500_123_456, Date.UTC(2026, 10, 30, 23, 59, 59)]) {
      expect(formatTimeOfDay(ms)).toBe(new Date(ms).toLocaleTimeString());
      const iso = new Date(ms).toISOString();
      expect(formatTimeOfDay(iso)).toBe(new Date(iso).toLocaleTimeString());
    }
  });

  it('writes "Invalid Date" for what is not a time, as toLocaleTimeString does', () => {
    for (const bad of ['not a date', '', Number.NaN]) expect(formatTimeOfDay(bad)).toBe(new Date(bad).toLocaleTimeString());
  });
});
