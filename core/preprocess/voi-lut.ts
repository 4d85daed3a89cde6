/**
 * VOI LUT stage (PS3.3 C.11.2): modality value → display value in [0, 1]
 * (0 = darkest, before any MONOCHROME1 inversion).
 *
 * - Window Center / Width with VOI LUT Function (C.11.2.1.2 LINEAR, C.11.2.1.3.1
 *   LINEAR_EXACT, C.11.2.1.3.2 SIGMOID).
 * - VOI LUT Sequence (C.11.2.1.1): table lookup, input clamped to the table's range.
 *
 * Only + − × ÷ are used, except SIGMOID which needs Math.exp (V8's exp is the same fdlibm
 * port in Node and Chromium, but it is not specified exactly by ECMAScript: SIGMOID is never
 * chosen by the percentile default, only when a file asks for it).
 */
import type { LookupTable } from '../dicom/decoded-image.ts';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/** Normalises the VOI LUT Function tag (absent or unknown → LINEAR, the standard's default). */
export function voiFunctionOf(tagValue: string | undefined): VoiFunction {
  const v = (tagValue ?? '').trim().toUpperCase();
  return v === 'LINEAR_EXACT' || v === 'SIGMOID' ? v : 'LINEAR';
}

/**
 * Window function of C.11.2.1.2 / C.11.2.1.3 with ymin = 0 and ymax = 1.
 * @param x modality value; @param center window centre; @param width window width
 *   (LINEAR requires width ≥ 1, LINEAR_EXACT and SIGMOID width > 0 — the caller guarantees it).
 * @returns display value in [0, 1].
 */
export function applyWindow(x: number, center: number, width: number, fn: VoiFunction): number {
  if (fn === 'LINEAR') {
    const c = center - 0.5;
    const w = width - 1;
    if (x <= c - w / 2) return 0;
    if (x > c + w / 2) return 1;
    // w === 0 (width 1) is handled by the two comparisons above: every x falls in one of them.
    return (x - c) / w + 0.5;
  }
  if (fn === 'LINEAR_EXACT') {
    if (x <= center - width / 2) return 0;
    if (x > center + width / 2) return 1;
    return (x - center) / width + 0.5;
  }
  return 1 / (1 + Math.exp((-4 * (x - center)) / width));
}

/**
 * VOI LUT Sequence lookup (C.11.2.1.1): values below the first mapped value take the first
 * entry, values past the end take the last; output divided by `max` (from `lutMaxValue`) to [0, 1].
 */
export function applyVoiLut(x: number, lut: LookupTable, max: number): number {
  const n = lut.data.length;
  let index = Math.floor(x) - lut.firstValueMapped;
  if (index < 0) index = 0;
  else if (index > n - 1) index = n - 1;
  return (lut.data[index] ?? 0) / max;
}

/**
 * Largest value an entry can hold. Some writers declare 16 bits per entry but store 8-bit
 * values (PS3.3 C.11.2.1.1 notes the ambiguity); we trust the declared depth unless the
 * table's own maximum exceeds it.
 */
export function lutMaxValue(lut: LookupTable): number {
  let declared = 2 ** Math.min(Math.max(lut.bitsPerEntry, 1), 16) - 1;
  for (let i = 0; i < lut.data.length; i++) if ((lut.data[i] ?? 0) > declared) declared = 65535;
  return declared;
}
