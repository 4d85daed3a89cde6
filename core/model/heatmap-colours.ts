/**
 * The one colour mapping of a class activation map, for the viewer (drawn over the image on a
 * canvas) and the HTML report (blended into a PNG): values are scaled to [0, 1] by the map's
 * own positive maximum (negative evidence is not shown), then coloured along a
 * blue → cyan → yellow → red ramp. Alpha is 0 up to 15 % of the maximum and grows to
 * opaque at 70 %, so weak activation stays transparent and the anatomy remains readable.
 */
const ALPHA_FROM = 0.15;
const ALPHA_FULL = 0.7;
const STOPS: ReadonlyArray<[number, number, number, number]> = [
  // value, r, g, b
  [0, 0, 0, 255],
  [0.35, 0, 255, 255],
  [0.65, 255, 255, 0],
  [1, 255, 0, 0],
];

export function rampColour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, r1, g1, b1] = STOPS[i] as [number, number, number, number];
    const [x0, r0, g0, b0] = STOPS[i - 1] as [number, number, number, number];
    if (x <= x1) {
      const t = (x - x0) / (x1 - x0);
      return [Math.round(r0 + t * (r1 - r0)), Math.round(g0 + t * (g1 - g0)), Math.round(b0 + t * (b1 - b0))];
    }
  }
  return [255, 0, 0];
}

/**
 * @param cam activation values, row-major height × width, any range.
 * @returns RGBA bytes, length width × height × 4; alpha = 255 × scaled value.
 */
export function camToRgba(cam: ArrayLike<number>, width: number, height: number): Uint8ClampedArray {
  let max = 0;
  for (let i = 0; i < width * height; i++) max = Math.max(max, cam[i] as number);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = max > 0 ? Math.max(0, cam[i] as number) / max : 0;
    const [r, g, b] = rampColour(v);
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0, (v - ALPHA_FROM) / (ALPHA_FULL - ALPHA_FROM))));
  }
  return rgba;
}

/**
 * The map composited over an RGBA image of the same size at `opacity`, as a canvas draws
 * camToRgba's pixels with globalAlpha = opacity (source-over): each channel moves towards the
 * ramp colour by opacity × alpha, rounded; the base's alpha is kept.
 * @param base RGBA bytes, width × height × 4.
 */
export function blendCam(base: ArrayLike<number>, cam: ArrayLike<number>, width: number, height: number, opacity: number): Uint8Array {
  const rgba = camToRgba(cam, width, height);
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const a = (opacity * (rgba[i * 4 + 3] as number)) / 255;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round((base[i * 4 + c] as number) * (1 - a) + (rgba[i * 4 + c] as number) * a);
    out[i * 4 + 3] = base[i * 4 + 3] as number;
  }
  return out;
}
