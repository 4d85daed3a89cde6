import { describe, expect, it } from 'vitest';
import { normaliseCam, rawCam, resizeBilinear } from './cam.ts';

describe('CAM', () => {
  // 2×2 map, 3 channels; kernel [3, 2] for two labels.
  const features = { data: Float32Array.from([1, 0, 2, 0, 1, 0, 3, 1, -1, 0, 0, 1]), height: 2, width: 2, channels: 3 };
  const kernel = [0.5, -1, 2, 0, -1, 1]; // w[k][c] row-major

  it('is Σ_k w_k·A_k per position', () => {
    // label 0: w = (0.5, 2, −1); label 1: w = (−1, 0, 1)
    expect(Array.from(rawCam(features, kernel, 2, 0).data)).toEqual([0.5 * 1 + 0 - 2, 0 + 2, 1.5 + 2 + 1, -1]);
    expect(Array.from(rawCam(features, kernel, 2, 1).data)).toEqual([1, 0, -4, 1]);
  });

  it('resizes bilinearly with aligned pixel centres and normalises to [0, 1]', () => {
    const up = resizeBilinear({ data: Float32Array.from([0, 4, 8, 12]), height: 2, width: 2 }, 4, 4);
    expect(Array.from(up.data.slice(0, 4))).toEqual([0, 1, 3, 4]);
    expect(Array.from(up.data.slice(12, 16))).toEqual([8, 9, 11, 12]);
    const n = normaliseCam({ data: Float32Array.from([-2, 0, 1, 4]), height: 2, width: 2 });
    expect(Array.from(n.data)).toEqual([0, 0, 0.25, 1]);
    expect(Array.from(normaliseCam({ data: Float32Array.from([-1, -2]), height: 1, width: 2 }).data)).toEqual([0, 0]);
  });
});
