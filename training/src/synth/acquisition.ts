/**
 * How a phantom is "acquired": modality, detector bit depth, photometric interpretation,
 * rescale and window tags, exposure, quantum noise, collimation, laterality marker and
 * transfer syntax — and the conversion of the attenuation map into stored pixel values.
 */
import { EXPLICIT_VR_LITTLE_ENDIAN, JPEG_2000_LOSSLESS, JPEG_LS_LOSSLESS, RLE_LOSSLESS } from '../../../core/dicom/transfer-syntax-uids.ts';
import type { WriteTransferSyntax } from '../dicom-write/write-part10.ts';
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmap-font.ts';
import { createRng, type Rng } from '../../../core/random/prng.ts';

export interface Acquisition {
  modality: 'CR' | 'DX';
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  bitsStored: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Window in modality units, or undefined (no VOI tags). */
  window: { center: number; width: number } | undefined;
  voiLutFunction: 'LINEAR_EXACT' | undefined;
  transferSyntaxUID: WriteTransferSyntax;
  viewPosition: 'PA' | 'AP';
  /** Field of view in mm across the image. */
  fieldOfViewMm: number;
  /** Stored value = offset + gain × attenuation (before photometric flip), as fractions of the maximum. */
  offset: number;
  gain: number;
  /** Noise standard deviation as a fraction of the maximum stored value. */
  noise: number;
  /** Columns / rows: 1, or a portrait crop (0.8–0.95) as many detectors deliver. */
  aspect: number;
  /** Collimated (unexposed) margins, fractions of the size: top, bottom, left, right. */
  collimation: [number, number, number, number];
  marker: { letter: 'R' | 'L'; atLeft: boolean; top: number };
}

let table: Float32Array | undefined;
/** 65,536 standard normal deviates from a fixed seed (built once). */
function normalTable(): Float32Array {
  if (!table) {
    const rng = createRng('radlocal-noise-table');
    table = Float32Array.from({ length: 65536 }, () => rng.normal());
  }
  return table;
}

export function sampleAcquisition(rng: Rng, ap: boolean): Acquisition {
  const modality = rng.chance(0.5) ? 'CR' : 'DX';
  const photometric = rng.chance(modality === 'CR' ? 0.6 : 0.3) ? 'MONOCHROME1' : 'MONOCHROME2';
  const bitsStored = rng.pick([10, 12, 12, 14, 15, 16]);
  const [rescaleSlope, rescaleIntercept] = rng.pick([
    [1, 0],
    [1, 0],
    [0.5, 0],
    [1, -1024],
    [2, -(2 ** (bitsStored - 1))],
  ] as const);
  const ts = rng.next();
  const transferSyntaxUID = ts < 0.55 ? EXPLICIT_VR_LITTLE_ENDIAN : ts < 0.82 ? RLE_LOSSLESS : ts < 0.94 ? JPEG_LS_LOSSLESS : JPEG_2000_LOSSLESS;
  const offset = rng.uniform(0.04, 0.12);
  const gain = rng.uniform(0.45, 0.6);
  const max = 2 ** bitsStored - 1;
  // Window over the body's range (attenuation ≈ 0.15 … 1.3), in modality units.
  let window: Acquisition['window'];
  if (rng.chance(0.75)) {
    const lo = (offset + gain * rng.uniform(0.1, 0.25)) * max;
    const hi = (offset + gain * rng.uniform(1.15, 1.35)) * max;
    const storedCenter = photometric === 'MONOCHROME1' ? max - (lo + hi) / 2 : (lo + hi) / 2;
    window = { center: Math.round(storedCenter * rescaleSlope + rescaleIntercept), width: Math.round((hi - lo) * rescaleSlope) };
  }
  const margin = (): number => (rng.chance(0.5) ? 0 : rng.uniform(0.01, 0.06));
  const collimation: Acquisition['collimation'] = [margin(), margin(), margin(), margin()];
  const marker: Acquisition['marker'] = rng.chance(0.5) ? { letter: 'R', atLeft: true, top: rng.uniform(0.04, 0.2) } : { letter: 'L', atLeft: false, top: rng.uniform(0.04, 0.2) };
  return {
    modality,
    photometric,
    bitsStored,
    rescaleSlope,
    rescaleIntercept,
    window,
    voiLutFunction: window && rng.chance(0.2) ? 'LINEAR_EXACT' : undefined,
    transferSyntaxUID,
    viewPosition: ap ? 'AP' : 'PA',
    fieldOfViewMm: rng.uniform(340, 430),
    offset,
    gain,
    noise: rng.uniform(0.003, 0.012),
    collimation,
    // The marker sits on the patient's side it names: R on the image left of a frontal view.
    marker,
    aspect: rng.chance(0.6) ? 1 : rng.uniform(0.8, 0.95),
  };
}

/** Image columns for `rows` rows: rows × aspect, even. */
export function columnsFor(rows: number, acq: Acquisition): number {
  return Math.min(rows, 2 * Math.round((rows * acq.aspect) / 2));
}

/**
 * Detector response: stored = (offset + gain × attenuation) × max + noise, unexposed
 * (collimated) margins and the lead marker at the top of the range, MONOCHROME1 flipped.
 * @param attenuation Float32Array [rows, columns] (renderPhantom's square map, cropped).
 * @returns Uint16Array [rows, columns] of stored values in [0, 2^bitsStored − 1].
 */
export function toStoredPixels(attenuation: Float32Array, rows: number, columns: number, acq: Acquisition, noiseSeed: number): Uint16Array {
  const size = rows;
  const max = 2 ** acq.bitsStored - 1;
  const out = new Uint16Array(rows * columns);
  const [ct, cb, cl, cr] = acq.collimation;
  const top = Math.round(ct * rows);
  const bottom = rows - Math.round(cb * rows);
  const left = Math.round(cl * columns);
  const right = columns - Math.round(cr * columns);
  const flip = acq.photometric === 'MONOCHROME1';
  const base = acq.offset * max;
  const gain = acq.gain * max;
  const sigma = acq.noise * max;
  // xorshift32 inline (seeded, deterministic) indexing a fixed table of normal deviates.
  const normals = normalTable();
  let s = (noiseSeed >>> 0) || 0x9e3779b9;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      let value: number;
      if (r < top || r >= bottom || c < left || c >= right) value = max * 0.97;
      else {
        const a = attenuation[i] as number;
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const n = normals[(s >>> 16) & 0xffff] as number;
        value = base + gain * a + n * sigma * (1.2 - 0.4 * (a > 1 ? 1 : a));
      }
      const v = Math.round(value < 0 ? 0 : value > max ? max : value);
      out[i] = flip ? max - v : v;
    }
  }
  // Lead laterality marker: the patient's side letter, saturated.
  const scale = Math.max(2, Math.round(size / 110));
  const width = textWidth(acq.marker.letter, scale);
  const x0 = acq.marker.atLeft ? left + Math.round(size * 0.04) : right - Math.round(size * 0.04) - width;
  const y0 = Math.max(top + 2, Math.round(acq.marker.top * size) - GLYPH_HEIGHT * scale);
  const ink = flip ? 0 : max;
  drawText(acq.marker.letter, x0, y0, scale, (c, r) => {
    if (c >= 0 && c < columns && r >= 0 && r < rows) out[r * columns + c] = ink;
  });
  return out;
}

/**
 * An acquisition shift: how "another hospital" differs from the generator's default world —
 * for site validation and recalibration demos (`radlocal synth --site NAME` or the flags).
 * The identity shift ({@link NO_SHIFT}) leaves every byte of the default output unchanged.
 */
export interface AcquisitionShift {
  /** Detector gain factor (dose / exposure index); the window tags stay those of the nominal exposure. 1 = none. */
  exposure: number;
  /** Tone curve on the attenuation map: a ↦ 1.3·(a/1.3)^contrast (< 1 flatter, > 1 harder). 1 = none. */
  contrast: number;
  /** Quantum-noise factor. 1 = none. */
  noise: number;
  /** Detector unsharpness: Gaussian σ in pixels of a 512-pixel image (scaled with the size). 0 = none. */
  blur: number;
}

export const NO_SHIFT: AcquisitionShift = { exposure: 1, contrast: 1, noise: 1, blur: 0 };

export function isNoShift(shift: AcquisitionShift): boolean {
  return shift.exposure === 1 && shift.contrast === 1 && shift.noise === 1 && shift.blur === 0;
}

/** The detector response of `acq` under `shift` (gain and noise; the window tags are kept). */
export function shiftAcquisition(acq: Acquisition, shift: AcquisitionShift): Acquisition {
  return isNoShift(shift) ? acq : { ...acq, gain: acq.gain * shift.exposure, noise: acq.noise * shift.noise };
}

/** Separable Gaussian blur of a [rows, columns] map with clamped edges. */
function gaussianBlur(map: Float32Array, rows: number, columns: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] as number) / sum;
  const pass = (src: Float32Array, length: number, lines: number, at: (line: number, i: number) => number): Float32Array => {
    const out = new Float32Array(src.length);
    for (let line = 0; line < lines; line++) {
      for (let i = 0; i < length; i++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += (kernel[k + radius] as number) * (src[at(line, Math.min(length - 1, Math.max(0, i + k)))] as number);
        out[at(line, i)] = acc;
      }
    }
    return out;
  };
  const horizontal = pass(map, columns, rows, (r, c) => r * columns + c);
  return pass(horizontal, rows, columns, (c, r) => r * columns + c);
}

/**
 * The attenuation map as the shifted site's detector sees it: tone curve, then unsharpness.
 * @returns `attenuation` itself when the shift changes neither, else a new Float32Array [rows, columns].
 */
export function shiftAttenuation(attenuation: Float32Array, rows: number, columns: number, shift: AcquisitionShift): Float32Array {
  let out = attenuation;
  if (shift.contrast !== 1) out = out.map((a) => (a > 0 ? 1.3 * (a / 1.3) ** shift.contrast : 0));
  if (shift.blur > 0) out = gaussianBlur(out, rows, columns, (shift.blur * rows) / 512);
  return out;
}
