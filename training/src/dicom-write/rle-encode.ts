/**
 * RLE Lossless encoder (PS3.5 Annex G): one PackBits segment per byte plane, most
 * significant byte first (G.2), each row encoded separately (G.3.1), each segment padded
 * to even length, preceded by the 64-byte header of segment offsets (G.5).
 * Monochrome frames (1 sample per pixel), 8 or 16 bits allocated.
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

/** PackBits of `src[start, end)` appended to `out` from `at`; returns the new position. */
function packRow(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let i = start;
  let literalStart = i;
  const flushLiteral = (upTo: number): void => {
    while (literalStart < upTo) {
      const n = Math.min(128, upTo - literalStart);
      out[at++] = n - 1;
      out.set(src.subarray(literalStart, literalStart + n), at);
      at += n;
      literalStart += n;
    }
  };
  while (i < end) {
    let run = 1;
    while (i + run < end && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      flushLiteral(i);
      out[at++] = 257 - run;
      out[at++] = src[i] as number;
      i += run;
      literalStart = i;
    } else i += run;
  }
  flushLiteral(end);
  return at;
}

/**
 * @param pixels one frame's stored values, length rows × columns.
 * @returns the RLE frame (header + segments), even length.
 */
export function encodeRleFrame(pixels: Uint8Array | Uint16Array | Int16Array, rows: number, columns: number): Uint8Array {
  if (pixels.length !== rows * columns) {
    throw new RadLocalError('INTERNAL', `Expected ${rows * columns} pixels to RLE-encode, but got ${pixels.length}.`);
  }
  const bytesPerSample = pixels instanceof Uint8Array ? 1 : 2;
  const n = rows * columns;
  const planes: Uint8Array[] = [];
  if (bytesPerSample === 1) planes.push(pixels as Uint8Array);
  else {
    const hi = new Uint8Array(n);
    const lo = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = (pixels[i] as number) & 0xffff;
      hi[i] = v >>> 8;
      lo[i] = v & 0xff;
    }
    planes.push(hi, lo);
  }
  // Worst case per row: one header byte per 128 literals.
  const worst = 64 + planes.length * (n + rows * (Math.ceil(columns / 128) + 1) + 2);
  const out = new Uint8Array(worst);
  const view = new DataView(out.buffer);
  view.setUint32(0, planes.length, true);
  let at = 64;
  planes.forEach((plane, s) => {
    view.setUint32(4 + 4 * s, at, true);
    for (let r = 0; r < rows; r++) at = packRow(plane, r * columns, (r + 1) * columns, out, at);
    if (at % 2 === 1) out[at++] = 0;
  });
  return out.slice(0, at);
}
