import { describe, expect, it } from 'vitest';
import { camToRgba, rampColour } from './heatmap-colours.ts';

describe('camToRgba', () => {
  it('scales by the positive maximum, hides negative evidence and colours the peak red', () => {
    const rgba = camToRgba([-2, 0, 1, 4], 2, 2);
    expect([...rgba.slice(0, 4)]).toEqual([0, 0, 255, 0]); // negative → transparent
    expect([...rgba.slice(12, 16)]).toEqual([255, 0, 0, 255]); // max → opaque red
    expect(rgba[11]).toBe(Math.round((255 * (0.25 - 0.15)) / 0.55)); // 1/4 of max: faint
  });

  it('keeps weak activation (≤ 15 % of the maximum) transparent', () => {
    const rgba = camToRgba([0.1, 1], 2, 1);
    expect(rgba[3]).toBe(0);
  });

  it('is fully transparent for an all-zero map', () => {
    const rgba = camToRgba(new Float32Array(9), 3, 3);
    expect(Math.max(...rgba.filter((_, i) => i % 4 === 3))).toBe(0);
  });

  it('interpolates the ramp between stops', () => {
    expect(rampColour(0.35)).toEqual([0, 255, 255]);
    expect(rampColour(0.5)).toEqual([128, 255, 128]);
  });
});
