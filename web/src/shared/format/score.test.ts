import { describe, expect, it } from 'vitest';
import { formatPercent, labelTitle } from './score.ts';

describe('formatPercent', () => {
  it('shows one decimal in the usual range', () => {
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(0.9994)).toBe('99.9%');
    expect(formatPercent(0.0006)).toBe('0.1%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('never rounds a value strictly inside (0, 1) to 0 % or 100 % (a threshold of 0.99989 is not "100.0%")', () => {
    expect(formatPercent(0.99989)).toBe('99.99%');
    expect(formatPercent(0.99996)).toBe('99.996%');
    expect(formatPercent(0.99951)).toBe('99.95%');
    expect(formatPercent(0.00004)).toBe('0.004%');
    expect(formatPercent(0.9999999)).toBe('> 99.999%');
    expect(formatPercent(1e-9)).toBe('< 0.001%');
  });
});

describe('labelTitle', () => {
  it('turns label names into words', () => {
    expect(labelTitle('pleural_effusion')).toBe('Pleural effusion');
  });
});
