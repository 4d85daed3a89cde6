/**
 * The viewer and the HTML report colour the same activation map identically: the viewer puts
 * core's camToRgba pixels on a canvas and draws it over the image with globalAlpha = opacity
 * (source-over); the report's overlayCam must give, pixel for pixel, what that canvas shows
 * over the same grey image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { camToRgba } from '../core/model/heatmap-colours.ts';
import { inputToGrey, overlayCam } from '../training/src/report/image-encoding.ts';

/** What a 2D canvas shows: `over` (RGBA) drawn with globalAlpha `opacity` onto the opaque `base` (source-over). */
function canvasComposite(base: Uint8Array, over: Uint8ClampedArray, opacity: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < base.length; i += 4) {
    const a = ((over[i + 3] as number) / 255) * opacity;
    for (let c = 0; c < 3; c++) out.push(Math.round((over[i + c] as number) * a + (base[i + c] as number) * (1 - a)));
    out.push(255);
  }
  return out;
}

describe('heatmap colours', () => {
  const width = 16;
  const height = 12;
  // A map with negative evidence, a weak band, a gradient and a peak; a grey ramp underneath.
  const cam = Float32Array.from({ length: width * height }, (_, i) => Math.sin(i / 7) * 3 + (i % width) / 4 - 1);
  const input = Float32Array.from({ length: width * height }, (_, i) => (i % 37) / 36 - 0.5);
  const base = inputToGrey(input, width, height, { mean: 0.5, std: 1 });

  for (const opacity of [0.25, 0.65, 1]) {
    it(`report pixels equal the viewer's canvas at opacity ${opacity}`, () => {
      const viewer = canvasComposite(base.data, camToRgba(cam, width, height), opacity);
      expect(Array.from(overlayCam(base, cam, opacity).data)).toEqual(viewer);
    });
  }

  it('the viewer draws with core’s colouring, not a ramp of its own', () => {
    const source = readFileSync(join(import.meta.dirname, '../web/src/features/viewport/draw-heatmap.ts'), 'utf8');
    expect(source).toMatch(/import \{ camToRgba \} from '(\.\.\/)+core\/model\/heatmap-colours\.ts'/);
  });
});
