/**
 * Renders a phantom chest as a projected-attenuation map: Float32Array [size, size],
 * row-major, ≈ 0 (air) to ≈ 1.5 (bone over the mediastinum); higher = more attenuating
 * (white on a MONOCHROME2 display). Pure geometry: noise, detector response and bit depth
 * are applied by acquisition.ts.
 */
import type { Anatomy } from './anatomy.ts';
import { chestShape, collapsedLung, heartMask, lateral, lungAt, lungSample, mediastinum, ramp, type ChestShape, type LungSample } from './chest-shape.ts';
import { createRng } from '../../../core/random/prng.ts';
import { rasteriseVessels, vesselSegments } from './vessels.ts';

export interface RenderResult {
  /** Float32Array [size, size], attenuation ≥ 0. */
  attenuation: Float32Array;
  /** Nodule centres (pixel edge coordinates) and diameters in pixels. */
  nodules: { column: number; row: number; diameterPx: number }[];
}

interface Nodule {
  u: number;
  v: number;
  r: number;
  amplitude: number;
}

/** Thorax coordinates → pixel edge coordinates (column, row). */
function toImage(a: Anatomy, size: number, u: number, v: number): [number, number] {
  const cosR = Math.cos(a.rotation);
  const sinR = Math.sin(a.rotation);
  const vv = v - 0.5;
  const x = cosR * u - sinR * vv + a.centerU;
  const y = sinR * u + cosR * vv + 0.5 + a.topV;
  return [(x + 0.5) * size, y * size];
}

/** Places nodules inside aerated lung (moving them laterally off the heart if needed). */
function placeNodules(a: Anatomy, g: ChestShape, mmPerUnit: number): Nodule[] {
  return a.findings.nodules.map((n) => {
    const side = n.side === 'right' ? -1 : 1;
    const k = side < 0 ? 0 : 1;
    const dome = k === 0 ? g.domeR : g.domeL;
    const v = g.apexV + 0.06 + n.down * (dome - g.apexV - 0.12);
    let across = n.across;
    let u = 0;
    for (let tries = 0; tries < 8; tries++) {
      const mw = mediastinum(g, v, side);
      u = g.spineShift + side * (mw + across * (lateral(g, v, k) - mw));
      if (lungAt(g, u, v, heartMask(g, u, v)) > 0.99 && collapsedLung(g, u, v) > 0.99) break;
      across = Math.min(0.9, across + 0.08);
    }
    const r = n.diameterMm / 2 / mmPerUnit;
    // Contrast grows with size (a sphere's projected thickness); small ones are subtle.
    return { u, v, r, amplitude: n.contrast * (0.16 + 0.14 * Math.min(1, n.diameterMm / 14)) };
  });
}

/**
 * @param mmPerUnit millimetres per image unit (pixel spacing × size), sizes nodules.
 */
/** Vessel map scratch, reused between calls of the same size (never escapes renderPhantom). */
let vesselScratch: Float32Array | undefined;

export function renderPhantom(anatomy: Anatomy, size: number, mmPerUnit: number): RenderResult {
  const g = chestShape(anatomy, size);
  const nodules = placeNodules(anatomy, g, mmPerUnit);
  if (vesselScratch?.length !== size * size) vesselScratch = new Float32Array(size * size);
  const vessels = vesselScratch.fill(0);
  rasteriseVessels(vesselSegments(anatomy), vessels, size, (u, v) => toImage(anatomy, size, u, v), 24);
  const out = new Float32Array(size * size);
  renderPixels(anatomy, g, nodules, vessels, size, out);
  return {
    attenuation: out,
    nodules: nodules.map((n) => {
      const [column, row] = toImage(anatomy, size, n.u, n.v);
      return { column, row, diameterPx: 2 * n.r * size };
    }),
  };
}

/** A (grid+1)² lattice of seeded values in [-1, 1] for smooth value noise (parenchymal texture). */
function noiseLattice(seed: number, grid: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: (grid + 1) * (grid + 1) }, () => 2 * rng.next() - 1);
}

/** Bilinear sample of a lattice at (x, y) in lattice units (0 ≤ x, y ≤ grid). */
function sampleLattice(lattice: Float32Array, grid: number, x: number, y: number): number {
  const x0 = x >= grid ? grid - 1 : Math.floor(x);
  const y0 = y >= grid ? grid - 1 : Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * (grid + 1) + x0;
  const a = lattice[i] as number;
  const b = lattice[i + 1] as number;
  const c = lattice[i + grid + 1] as number;
  const d = lattice[i + grid + 2] as number;
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

function renderPixels(A: Anatomy, g: ChestShape, nodules: Nodule[], vessels: Float32Array, size: number, out: Float32Array): void {
  const W = g.W;
  const e = g.e;
  const cosR = Math.cos(A.rotation);
  const sinR = Math.sin(A.rotation);
  const bodyDensity = A.habitus.bodyDensity;
  const lungDensity = A.habitus.lungDensity;
  const female = A.habitus.female;
  const arms = A.arms;
  const bodyHalf = W + A.habitus.softTissue + 0.025;
  const neckHalf = 0.075;
  const shoulderV = g.apexV - 0.02;
  const shoulderHalf = bodyHalf + 0.08;
  const armInner = bodyHalf + 0.012;
  const armOuter = bodyHalf + 0.12;
  const carinaV = g.apexV + 0.19;
  const bronchusDrop = 0.045;
  const bronchusReach = g.mediastinumHalfWidth * 0.9;
  const tracheaHalf = A.tracheaHalfWidth;
  const sw = A.spineHalfWidth;
  const ribMedial = sw * 0.9;
  const ribScale = W / 0.33;
  const ribSpacing = A.ribSpacing;
  const ribWidth = A.ribWidth;
  const firstRibV = A.firstRibV;
  const clav0 = g.apexV + 0.085;
  const clav1 = g.apexV + A.clavicleTilt + 0.01;
  const clavEnd = W + 0.07;
  const humU = W + A.habitus.softTissue * 0.5 + 0.06;
  const humV = g.apexV - 0.005;
  const humR = 0.055;
  const effR = A.findings.effusion.right;
  const effL = A.findings.effusion.left;
  const gbR = A.gastricBubble.r;
  const gbU = A.gastricBubble.du + g.spineShift;
  const gbV = g.domeL + A.gastricBubble.dv + gbR * 0.5;
  const lungTop = g.apexV - 0.02;
  const lungBottom = Math.max(g.cpR, g.cpL) + 0.02;
  const nNodules = nodules.length;
  const lung: LungSample = { mask: 0, depth: 0 };
  // Parenchymal texture: two octaves of smooth value noise modulating the air depth.
  const coarse = noiseLattice(A.vesselSeed + 1, 12);
  const fine = noiseLattice(A.vesselSeed + 2, 40);

  for (let r = 0; r < size; r++) {
    const y = (r + 0.5) / size;
    for (let c = 0; c < size; c++) {
      const x = (c + 0.5) / size - 0.5;
      const dx = x - A.centerU;
      const dy = y - 0.5 - A.topV;
      const u = cosR * dx + sinR * dy;
      const v = -sinR * dx + cosR * dy + 0.5;
      const au = u < 0 ? -u : u;
      const side = u < g.spineShift ? -1 : 1;
      const k = side < 0 ? 0 : 1;
      const am = u - g.spineShift < 0 ? g.spineShift - u : u - g.spineShift;
      const cp = k === 0 ? g.cpR : g.cpL;
      const dome = k === 0 ? g.domeR : g.domeL;

      // Body outline: neck, sloping shoulders, trunk; elliptical cross-section (thin at the sides).
      let half: number;
      if (v < shoulderV) half = neckHalf + (shoulderHalf - neckHalf) * Math.sqrt(ramp((v - (shoulderV - 0.09)) / 0.09));
      else half = bodyHalf + (shoulderHalf - bodyHalf) * ramp(1 - (v - shoulderV) / 0.06);
      // Outside the body, the arms and the humeral heads: air.
      if (au > half + e && (!arms || au > armOuter || v <= shoulderV) && v > humV + humR) {
        out[r * size + c] = 0;
        continue;
      }
      const q0 = 1 - (au / half) * (au / half);
      let a = q0 > 0 ? bodyDensity * (0.38 + 0.5 * Math.sqrt(q0)) * ramp((half - au) / e) : 0;
      if (arms && v > shoulderV && au > armInner && au < armOuter) {
        const t = 2 * (au - armInner) / (armOuter - armInner) - 1;
        a += bodyDensity * 0.5 * Math.sqrt(1 - t * t) * ramp((v - shoulderV) / 0.04);
      }
      if (female && v > cp - 0.22 && v < cp + 0.1) {
        // Breast shadow: lower zones, lateral, sharp inferior edge.
        const bu = (au - W * 0.55) / (W * 0.5);
        const bv = (v - (cp - 0.07)) / 0.13;
        const q = 1 - bu * bu - bv * bv;
        if (q > 0) a += 0.1 * Math.sqrt(q) * ramp(q / 0.05);
      }

      const hm = v > g.apexV && v < lungBottom + 0.1 ? heartMask(g, u, v) : 0;
      let inLung = 0;
      // Lungs (air lowers attenuation), with pleural findings.
      if (v > lungTop && v < lungBottom && au < W + 2 * e) {
        lungSample(g, u, v, hm, lung);
        const m = lung.mask;
        inLung = m;
        if (m > 0) {
          const texture = 0.07 * sampleLattice(coarse, 12, (c / size) * 12, (r / size) * 12) + 0.05 * sampleLattice(fine, 40, (c / size) * 40, (r / size) * 40);
          let air = m * lung.depth * 0.52 * lungDensity * (1 + texture);
          let vesselKeep = 1;
          const fluid = k === 0 ? effR : effL;
          if (fluid > 0) {
            const H = cp - g.apexV;
            const xl = lateral(g, v, k);
            const xfrac = xl > 0 ? ramp(au / xl) : 0;
            // Meniscus: concave upper border, lowest medially, climbing the lateral chest wall.
            const x4 = xfrac * xfrac * xfrac * xfrac;
            const level = cp - fluid * H * (0.4 + 0.6 * x4);
            let o = ramp((v - level) / (0.015 + 0.06 * fluid) + 0.2);
            // Fluid tracking up the lateral chest wall above the meniscus (a thin pleural band).
            const band = 0.012 + 0.03 * fluid;
            const fromWall = xl - au;
            if (o < 1 && fromWall < band && v < level) {
              const ob = 0.8 * ramp(1 - fromWall / band) * ramp(1 - (level - v) / (0.5 * fluid * H + 0.02));
              if (ob > o) o = ob;
            }
            air *= 1 - 0.97 * o;
            vesselKeep = 1 - o;
          }
          if (side === g.ptxSide) {
            const inner = collapsedLung(g, u, v);
            const pleural = m - (inner < m ? inner : m);
            air += pleural * 0.22; // no lung tissue: darker
            vesselKeep *= inner;
            // Visceral pleural line: a thin bright rim at the collapsed lung's edge.
            a += 1.0 * inner * (1 - inner) * m;
          }
          a -= air;
          a += (vessels[r * size + c] as number) * vesselKeep * m;
        }
      }

      if (hm > 0 && v < dome) a += 0.05 * hm;
      if (v < carinaV && am < tracheaHalf) a -= 0.2 * Math.sqrt(1 - (am / tracheaHalf) * (am / tracheaHalf));
      else if (v >= carinaV && v < carinaV + bronchusDrop && am < bronchusReach + tracheaHalf) {
        // Main bronchi: from the carina down and out toward the hila (the right one steeper).
        const t = (v - carinaV) / bronchusDrop;
        const reach = (side < 0 ? 0.75 : 1) * bronchusReach * t;
        const d = am - reach;
        const half = tracheaHalf * (0.85 - 0.2 * t);
        if ((d < 0 ? -d : d) < half) a -= 0.16 * (1 - t * 0.6) * Math.sqrt(1 - (d / half) * (d / half));
      }

      // Gastric bubble under the left dome.
      if (gbR > 0 && side > 0 && v > g.domeL) {
        const bu = (u - gbU) / gbR;
        const bv = (v - gbV) / gbR;
        const q = 1 - bu * bu - bv * bv;
        if (q > 0 && bv > -0.6) a -= 0.3 * Math.sqrt(q) * ramp((bv + 0.6) / 0.2);
      }

      // Spine with vertebral end plates and pedicles (faint behind the mediastinum).
      if (am < sw) {
        const prof = Math.sqrt(1 - (am / sw) * (am / sw));
        const phase = (v - g.apexV) / 0.036;
        const frac = phase - Math.floor(phase);
        const plate = frac < 0.08 || frac > 0.92 ? 0.03 : frac > 0.1 && frac < 0.18 ? -0.02 : 0;
        const pd = am - sw * 0.62;
        const pedicle = (pd < 0 ? -pd : pd) < sw * 0.16 && frac > 0.3 && frac < 0.6 ? 0.035 : 0;
        a += (0.06 + plate + pedicle) * prof;
      }
      // Ribs: posterior arcs (from the spine, curving down along the lateral wall) and anterior
      // ribs (from the wall, down and medially, fading toward the cartilage).
      const xr = (au - ribMedial) / (W - ribMedial);
      if (xr > 0 && xr < 1.1 && v > g.apexV - 0.06) {
        const fade = (xr > 1 ? 1 - (xr - 1) / 0.1 : 1) * (0.4 + 0.6 * inLung);
        const x2 = xr * xr;
        const curve = (-0.06 * xr + 0.07 * x2 + 0.16 * x2 * x2 * x2) * ribScale;
        const post = (v - curve - firstRibV) / ribSpacing;
        const kp = Math.round(post);
        if (kp >= 0 && kp < 12) {
          const dp = post - kp;
          const s = ((dp < 0 ? -dp : dp) * ribSpacing) / (ribWidth * (0.45 + 0.03 * kp));
          if (s < 1) {
            const t = (s - 0.85) / 0.2;
            const cortex = 1 - t * t;
            a += fade * (0.075 * Math.sqrt(1 - s * s) + 0.05 * (cortex > 0 ? cortex : 0));
          }
        }
        if (xr > 0.3) {
          const xa = (xr - 0.3) / 0.7;
          const ant = (v - (0.16 + 0.3 * (1 - xa)) * ribScale - firstRibV + 0.02) / (ribSpacing * 1.25);
          const ka = Math.round(ant);
          if (ka >= 0 && ka < 7) {
            const da = ant - ka;
            const s = ((da < 0 ? -da : da) * ribSpacing * 1.25) / (ribWidth * 0.38);
            if (s < 1) a += fade * 0.05 * Math.sqrt(xa) * Math.sqrt(1 - s * s);
          }
        }
      }
      // Clavicles: S-shaped bars from the sternal notch to the shoulders.
      if (au > 0.02 && au < clavEnd && v < g.apexV + 0.16) {
        const t = (au - 0.02) / (clavEnd - 0.02);
        const centre = clav0 + (clav1 - clav0) * t + 0.01 * Math.sin(2 * Math.PI * t);
        const dc = v - centre;
        const s = (dc < 0 ? -dc : dc) / (0.013 + 0.005 * (1 - t));
        if (s < 1) {
          const tc = (s - 0.85) / 0.2;
          const cortex = 1 - tc * tc;
          a += 0.12 * Math.sqrt(1 - s * s) + 0.06 * (cortex > 0 ? cortex : 0);
        }
      }
      // Humeral heads.
      if (v < humV + humR) {
        const hu = (au - humU) / humR;
        const hv = (v - humV) / humR;
        const q = 1 - hu * hu - hv * hv;
        if (q > 0) a += 0.2 * Math.sqrt(q) + 0.06;
      }
      // Nodules: solid spheres.
      for (let i = 0; i < nNodules; i++) {
        const n = nodules[i] as Nodule;
        const du = (u - n.u) / n.r;
        const dv = (v - n.v) / n.r;
        const q = 1 - du * du - dv * dv;
        if (q > -0.3) {
          const edge = ramp(q / ((2 * e) / n.r) + 0.5);
          a += edge * n.amplitude * Math.sqrt((q > 0 ? q : 0) * 0.7 + 0.3);
        }
      }
      out[r * size + c] = a > 0 ? a : 0;
    }
  }
}
