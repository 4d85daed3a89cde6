/**
 * The 8×8 inverse DCT of the IJG reference library (libjpeg 6b `jpeg_idct_islow`, the "accurate
 * integer" method that dcmtk and GDCM decode with by default), reproduced from the published
 * algorithm so that lossy DICOM decodes to the same sample values as those toolkits: the
 * Loeffler–Ligtenberg–Moschytz factorisation with 13-bit fixed-point constants, 2 (8-bit) or
 * 1 (12-bit) extra bits between the passes, round-half-up descaling, and IJG's range-limit
 * table (values wrap modulo 4·2^P before clamping, exactly as the C code's `& RANGE_MASK`).
 * 32-bit wrap-around arithmetic (Math.imul, `| 0`) matches the C integer behaviour.
 */

const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

export interface IdctContext {
  /** Extra fraction bits between the passes: 2 for 8-bit samples, 1 for 12-bit. */
  pass1Bits: number;
  /** range[(value) & mask] = the output sample for a descaled, level-shift-free value. */
  range: Uint16Array;
  mask: number;
  workspace: Int32Array;
  /** One line's inputs and outputs of the 1-D transform (scratch). */
  line: Int32Array;
  sums: Int32Array;
}

/** The IDCT constants and range-limit table for a sample precision (8 or 12). */
export function idctContext(precision: number): IdctContext {
  const max = (1 << precision) - 1;
  const centre = 1 << (precision - 1);
  const size = 4 * (max + 1);
  const range = new Uint16Array(size);
  for (let j = 0; j < size; j++) {
    // IJG prepare_range_limit_table, post-IDCT part: index = value & (4·2^P − 1).
    range[j] = j < centre ? j + centre : j < 2 * (max + 1) ? max : j < size - centre ? 0 : j - size + centre;
  }
  return { pass1Bits: precision === 8 ? 2 : 1, range, mask: size - 1, workspace: new Int32Array(64), line: new Int32Array(8), sums: new Int32Array(8) };
}

/**
 * The 8-point 1-D transform both passes share (jidctint's even and odd parts): `v` holds one
 * column or row, `out[k]` receives output k before descaling (scaled by 2^CONST_BITS).
 */
function idct8(v: Int32Array, out: Int32Array): void {
  // Even part.
  let z2 = v[2] as number;
  let z3 = v[6] as number;
  let z1 = Math.imul((z2 + z3) | 0, FIX_0_541196100);
  let tmp2 = (z1 + Math.imul(z3, -FIX_1_847759065)) | 0;
  let tmp3 = (z1 + Math.imul(z2, FIX_0_765366865)) | 0;
  let tmp0 = (((v[0] as number) + (v[4] as number)) | 0) << CONST_BITS;
  let tmp1 = (((v[0] as number) - (v[4] as number)) | 0) << CONST_BITS;
  const tmp10 = (tmp0 + tmp3) | 0;
  const tmp13 = (tmp0 - tmp3) | 0;
  const tmp11 = (tmp1 + tmp2) | 0;
  const tmp12 = (tmp1 - tmp2) | 0;
  // Odd part.
  tmp0 = v[7] as number;
  tmp1 = v[5] as number;
  tmp2 = v[3] as number;
  tmp3 = v[1] as number;
  z1 = (tmp0 + tmp3) | 0;
  z2 = (tmp1 + tmp2) | 0;
  z3 = (tmp0 + tmp2) | 0;
  let z4 = (tmp1 + tmp3) | 0;
  const z5 = Math.imul((z3 + z4) | 0, FIX_1_175875602);
  tmp0 = Math.imul(tmp0, FIX_0_298631336);
  tmp1 = Math.imul(tmp1, FIX_2_053119869);
  tmp2 = Math.imul(tmp2, FIX_3_072711026);
  tmp3 = Math.imul(tmp3, FIX_1_501321110);
  z1 = Math.imul(z1, -FIX_0_899976223);
  z2 = Math.imul(z2, -FIX_2_562915447);
  z3 = (Math.imul(z3, -FIX_1_961570560) + z5) | 0;
  z4 = (Math.imul(z4, -FIX_0_390180644) + z5) | 0;
  tmp0 = (tmp0 + z1 + z3) | 0;
  tmp1 = (tmp1 + z2 + z4) | 0;
  tmp2 = (tmp2 + z2 + z3) | 0;
  tmp3 = (tmp3 + z1 + z4) | 0;
  // Sums may pass 2^31 only on absurd input; `>>` then wraps them as C's int arithmetic does.
  out[0] = tmp10 + tmp3;
  out[7] = tmp10 - tmp3;
  out[1] = tmp11 + tmp2;
  out[6] = tmp11 - tmp2;
  out[2] = tmp12 + tmp1;
  out[5] = tmp12 - tmp1;
  out[3] = tmp13 + tmp0;
  out[4] = tmp13 - tmp0;
}

/**
 * Dequantises and inverse-transforms one block.
 * @param coefficients 64 quantised coefficients in natural (row-major) order, from `offset`.
 * @param quant 64 quantisation values in natural order.
 * @param out Output samples; the block is written at `outOffset` with `stride` samples per line.
 */
export function idctIslow(ctx: IdctContext, coefficients: Int16Array, offset: number, quant: Int32Array, out: Uint16Array, outOffset: number, stride: number): void {
  const { workspace: ws, line, sums, range, mask } = ctx;
  const pass1 = ctx.pass1Bits;
  const shift1 = CONST_BITS - pass1;
  const round1 = 1 << (shift1 - 1);
  // Pass 1: columns, dequantised, into the workspace with `pass1` extra fraction bits.
  for (let c = 0; c < 8; c++) {
    const i = offset + c;
    if (
      coefficients[i + 8] === 0 &&
      coefficients[i + 16] === 0 &&
      coefficients[i + 24] === 0 &&
      coefficients[i + 32] === 0 &&
      coefficients[i + 40] === 0 &&
      coefficients[i + 48] === 0 &&
      coefficients[i + 56] === 0
    ) {
      const dc = Math.imul(coefficients[i] as number, quant[c] as number) << pass1;
      for (let r = 0; r < 64; r += 8) ws[r + c] = dc;
      continue;
    }
    for (let k = 0; k < 8; k++) line[k] = Math.imul(coefficients[i + 8 * k] as number, quant[c + 8 * k] as number);
    idct8(line, sums);
    for (let k = 0; k < 8; k++) ws[c + 8 * k] = ((sums[k] as number) + round1) >> shift1;
  }
  // Pass 2: rows, descaled by the constants, the extra bits and the 8 of the 2-D transform, range-limited.
  const shift2 = CONST_BITS + pass1 + 3;
  const round2 = 1 << (shift2 - 1);
  const dcShift = pass1 + 3;
  const dcRound = 1 << (dcShift - 1);
  for (let r = 0; r < 64; r += 8) {
    const o = outOffset + (r >> 3) * stride;
    if (ws[r + 1] === 0 && ws[r + 2] === 0 && ws[r + 3] === 0 && ws[r + 4] === 0 && ws[r + 5] === 0 && ws[r + 6] === 0 && ws[r + 7] === 0) {
      const v = range[(((ws[r] as number) + dcRound) >> dcShift) & mask] as number;
      for (let x = 0; x < 8; x++) out[o + x] = v;
      continue;
    }
    for (let k = 0; k < 8; k++) line[k] = ws[r + k] as number;
    idct8(line, sums);
    for (let k = 0; k < 8; k++) out[o + k] = range[(((sums[k] as number) + round2) >> shift2) & mask] as number;
  }
}
