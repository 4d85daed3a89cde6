/**
 * Flat numeric description of one phantom chest and the shape functions the renderer
 * evaluates per pixel (top-level functions over a monomorphic object, so V8 keeps the
 * pixel loop optimised). Coordinates: u horizontal from the image centre, v from the top,
 * both in fractions of the image size, after undoing the patient's position and rotation.
 */
import type { Anatomy } from './anatomy.ts';
import { hilum } from './vessels.ts';

export interface ChestShape {
  W: number;
  e: number;
  apexV: number;
  domeR: number;
  domeL: number;
  cpR: number;
  cpL: number;
  domePeak: number;
  spineShift: number;
  mediastinumHalfWidth: number;
  aorticKnob: number;
  heartU: number;
  heartV: number;
  heartA: number;
  heartB: number;
  heartCos: number;
  heartSin: number;
  /** Pneumothorax: side (-1 right, +1 left, 0 none), rim fraction, hilum. */
  ptxSide: number;
  ptxGap: number;
  ptxHilumU: number;
  ptxHilumV: number;
}

export function chestShape(a: Anatomy, size: number): ChestShape {
  const ptx = a.findings.pneumothorax;
  const ptxSide = ptx ? (ptx.side === 'right' ? -1 : 1) : 0;
  const h = ptx ? hilum(a, ptxSide as -1 | 1) : { u: 0, v: 0 };
  return {
    W: a.habitus.thoraxHalfWidth,
    e: 1.2 / size,
    apexV: a.apexV,
    domeR: a.domeV[0],
    domeL: a.domeV[1],
    cpR: a.cpV[0],
    cpL: a.cpV[1],
    domePeak: a.domePeak,
    spineShift: a.spineShift,
    mediastinumHalfWidth: a.mediastinumHalfWidth,
    aorticKnob: a.aorticKnob,
    heartU: a.heart.u + a.spineShift,
    heartV: a.heart.v,
    heartA: a.heart.a,
    heartB: a.heart.b,
    heartCos: Math.cos(a.heart.angle),
    heartSin: Math.sin(a.heart.angle),
    ptxSide,
    ptxGap: ptx ? ptx.gap : 0,
    ptxHilumU: h.u,
    ptxHilumV: h.v,
  };
}

export function ramp(t: number): number {
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

/** Lateral inner rib-cage half-width at height v on side k (0 right, 1 left); 0 above the apex. */
export function lateral(g: ChestShape, v: number, k: number): number {
  const cp = k === 0 ? g.cpR : g.cpL;
  const vw = cp - 0.06;
  if (v >= vw) {
    const t = (v - vw) / 0.06;
    return g.W * (1 - 0.08 * t * t);
  }
  const t = (vw - v) / (vw - g.apexV + 0.02);
  return t >= 1 ? 0 : g.W * Math.sqrt(1 - t * t);
}

/** Diaphragm height under |u| on side k. */
export function diaphragm(g: ChestShape, au: number, k: number): number {
  const dome = k === 0 ? g.domeR : g.domeL;
  const cp = k === 0 ? g.cpR : g.cpL;
  const peak = g.domePeak * g.W;
  if (au > peak) {
    const t = (au - peak) / (g.W - peak);
    return dome + (cp - dome) * t * t;
  }
  const t = (peak - au) / peak;
  return dome + 0.08 * (cp - dome) * t * t;
}

/** Mediastinal half-width at height v (aortic knob on the left). */
export function mediastinum(g: ChestShape, v: number, side: number): number {
  if (side < 0) return g.mediastinumHalfWidth;
  const t = (v - (g.apexV + 0.17)) / 0.05;
  const bump = 1 - t * t;
  return g.mediastinumHalfWidth + (bump > 0 ? g.aorticKnob * bump * bump : 0);
}

/** Heart silhouette: 1 inside, soft edge about one pixel wide. */
export function heartMask(g: ChestShape, u: number, v: number): number {
  const du = u - g.heartU;
  const dv = v - g.heartV;
  const p = du * g.heartCos + dv * g.heartSin;
  const q = -du * g.heartSin + dv * g.heartCos;
  const d2 = (p * p) / (g.heartA * g.heartA) + (q * q) / (g.heartB * g.heartB);
  if (d2 > 1.3) return 0;
  return ramp(((1 - Math.sqrt(d2)) * g.heartB) / g.e + 0.5);
}

/** Aerated-lung mask at (u, v) given the heart mask there. */
export function lungAt(g: ChestShape, u: number, v: number, heart: number): number {
  if (heart >= 1) return 0;
  const side = u < g.spineShift ? -1 : 1;
  const k = side < 0 ? 0 : 1;
  const au = u < 0 ? -u : u;
  const am = u - g.spineShift < 0 ? g.spineShift - u : u - g.spineShift;
  const xl = lateral(g, v, k);
  if (xl <= 0 || au > xl + g.e) return 0;
  const m = ramp((xl - au) / g.e) * ramp((diaphragm(g, au, k) - v) / g.e) * ramp((am - mediastinum(g, v, side)) / g.e);
  return m * (1 - heart);
}

/** Mask and relative air depth of the lung at one point (filled by lungSample). */
export interface LungSample {
  mask: number;
  depth: number;
}

/** Lung mask (as lungAt) and relative air depth (thin at the edges and the apex) in one pass; writes into `out`. */
export function lungSample(g: ChestShape, u: number, v: number, heart: number, out: LungSample): void {
  out.mask = 0;
  out.depth = 0;
  if (heart >= 1) return;
  const side = u < g.spineShift ? -1 : 1;
  const k = side < 0 ? 0 : 1;
  const au = u < 0 ? -u : u;
  const am = u - g.spineShift < 0 ? g.spineShift - u : u - g.spineShift;
  const xl = lateral(g, v, k);
  if (xl <= 0 || au > xl + g.e) return;
  const mw = mediastinum(g, v, side);
  const m = ramp((xl - au) / g.e) * ramp((diaphragm(g, au, k) - v) / g.e) * ramp((am - mw) / g.e);
  if (m === 0) return;
  out.mask = m * (1 - heart);
  const span = xl - mw;
  const across = span > 0 ? ramp((4 * (am - mw) * (xl - au)) / (span * span)) : 0;
  const vertical = ramp((v - g.apexV) / 0.1);
  out.depth = (0.5 + 0.5 * Math.sqrt(across)) * (0.55 + 0.45 * vertical);
}

/** Pneumothorax: the collapsed lung is the normal lung shrunk toward the hilum (1 = no pneumothorax). */
export function collapsedLung(g: ChestShape, u: number, v: number): number {
  if (g.ptxSide === 0) return 1;
  const s = 1 - g.ptxGap;
  const uu = g.ptxHilumU + (u - g.ptxHilumU) / s;
  const vv = v < g.ptxHilumV ? g.ptxHilumV + (v - g.ptxHilumV) / (1 - g.ptxGap * 0.7) : v;
  return lungAt(g, uu, vv, heartMask(g, uu, vv));
}
