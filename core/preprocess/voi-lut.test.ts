import { describe, expect, it } from 'vitest';
import { applyVoiLut, applyWindow, lutMaxValue, voiFunctionOf } from './voi-lut.ts';

describe('VOI window functions (PS3.3 C.11.2.1.2 / C.11.2.1.3)', () => {
  it('LINEAR with centre 40, width 400: clamps at -160 and 239, linear between', () => {
    // c - 0.5 = 39.5, (w - 1) / 2 = 199.5 → bounds -160 and 239.
    expect(applyWindow(-160, 40, 400, 'LINEAR')).toBe(0);
    expect(applyWindow(-1000, 40, 400, 'LINEAR')).toBe(0);
    expect(applyWindow(39.5, 40, 400, 'LINEAR')).toBe(0.5);
    expect(applyWindow(100, 40, 400, 'LINEAR')).toBeCloseTo(60.5 / 399 + 0.5, 12);
    expect(applyWindow(239, 40, 400, 'LINEAR')).toBeCloseTo(1, 12);
    expect(applyWindow(239.01, 40, 400, 'LINEAR')).toBe(1);
  });

  it('LINEAR with width 1 is a threshold at centre - 0.5', () => {
    expect(applyWindow(99.5, 100, 1, 'LINEAR')).toBe(0);
    expect(applyWindow(99.6, 100, 1, 'LINEAR')).toBe(1);
  });

  it('LINEAR_EXACT with centre 100, width 200', () => {
    expect(applyWindow(0, 100, 200, 'LINEAR_EXACT')).toBe(0);
    expect(applyWindow(50, 100, 200, 'LINEAR_EXACT')).toBe(0.25);
    expect(applyWindow(100, 100, 200, 'LINEAR_EXACT')).toBe(0.5);
    expect(applyWindow(200, 100, 200, 'LINEAR_EXACT')).toBe(1);
    expect(applyWindow(200.5, 100, 200, 'LINEAR_EXACT')).toBe(1);
  });

  it('SIGMOID: 0.5 at the centre, 1/(1+e^-1) a quarter width above', () => {
    expect(applyWindow(100, 100, 200, 'SIGMOID')).toBe(0.5);
    expect(applyWindow(150, 100, 200, 'SIGMOID')).toBeCloseTo(0.7310585786300049, 14);
    expect(applyWindow(50, 100, 200, 'SIGMOID')).toBeCloseTo(0.2689414213699951, 14);
  });

  it('reads the VOI LUT Function tag, defaulting to LINEAR', () => {
    expect(voiFunctionOf(undefined)).toBe('LINEAR');
    expect(voiFunctionOf('linear_exact ')).toBe('LINEAR_EXACT');
    expect(voiFunctionOf('SIGMOID')).toBe('SIGMOID');
    expect(voiFunctionOf('BOGUS')).toBe('LINEAR');
  });

  it('VOI LUT Sequence lookup clamps below and above the table', () => {
    const lut = { firstValueMapped: 10, bitsPerEntry: 8, data: Uint16Array.from([0, 51, 102, 255]) };
    const max = lutMaxValue(lut);
    expect(max).toBe(255);
    expect(applyVoiLut(-5, lut, max)).toBe(0);
    expect(applyVoiLut(11, lut, max)).toBe(51 / 255);
    expect(applyVoiLut(12.7, lut, max)).toBe(102 / 255);
    expect(applyVoiLut(1000, lut, max)).toBe(1);
  });

  it('a LUT declaring 8 bits but holding larger values is scaled to 16 bits', () => {
    expect(lutMaxValue({ firstValueMapped: 0, bitsPerEntry: 8, data: Uint16Array.from([0, 4000]) })).toBe(65535);
    expect(lutMaxValue({ firstValueMapped: 0, bitsPerEntry: 12, data: Uint16Array.from([0, 4000]) })).toBe(4095);
  });
});
