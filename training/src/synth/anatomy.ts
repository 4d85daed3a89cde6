/**
 * Geometry of one phantom chest, in isotropic image units: u = horizontal offset from the
 * thorax midline (fraction of the image width, patient's right on the image left as in a
 * PA film), v = distance from the top (fraction of the image height).
 */
import type { Findings } from './findings.ts';
import type { Rng } from '../../../core/random/prng.ts';

export interface Habitus {
  /** Inner thoracic half-width at its widest. */
  thoraxHalfWidth: number;
  /** Soft tissue outside the ribs (half-width added). */
  softTissue: number;
  /** Thickness scale of soft tissue (obese > 1). */
  bodyDensity: number;
  lungDensity: number;
  female: boolean;
}

export interface Anatomy {
  habitus: Habitus;
  findings: Findings;
  /** Whole-image transform: centre of the thorax midline and rotation (radians). */
  centerU: number;
  topV: number;
  rotation: number;
  /** Axial rotation shifts the spine and mediastinum relative to the rib cage. */
  spineShift: number;
  apexV: number;
  /** Dome tops (right, left) and the costophrenic angles (right, left). */
  domeV: [number, number];
  cpV: [number, number];
  /** |u| of each dome's highest point as a fraction of the half-width. */
  domePeak: number;
  mediastinumHalfWidth: number;
  aorticKnob: number;
  tracheaHalfWidth: number;
  spineHalfWidth: number;
  /** Heart: centre, semi-axes, tilt; its horizontal extent = ctr × 2 × thoraxHalfWidth. */
  heart: { u: number; v: number; a: number; b: number; angle: number };
  /** Rib spacing and the first posterior rib's height at the spine. */
  ribSpacing: number;
  firstRibV: number;
  ribWidth: number;
  /** Upper arms beside the trunk inside the field. */
  arms: boolean;
  clavicleTilt: number;
  /** Gastric bubble (left, under the dome): radius 0 = none. */
  gastricBubble: { du: number; dv: number; r: number };
  ap: boolean;
  /** Seed of the vessel tree. */
  vesselSeed: number;
}

export function sampleHabitus(rng: Rng): Habitus {
  return {
    thoraxHalfWidth: rng.uniform(0.33, 0.39),
    softTissue: rng.uniform(0.03, 0.08),
    bodyDensity: rng.uniform(0.85, 1.2),
    lungDensity: rng.uniform(0.85, 1.1),
    female: rng.chance(0.5),
  };
}

/** Horizontal extent of an ellipse with semi-axes a, b rotated by `angle`: 2 √(a²cos² + b²sin²). */
export function ellipseWidth(a: number, b: number, angle: number): number {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return 2 * Math.sqrt(a * a * c * c + b * b * s * s);
}

/** Lays out one image of a patient: habitus and findings fixed, position and breath vary. */
export function sampleAnatomy(rng: Rng, habitus: Habitus, findings: Findings, ap: boolean): Anatomy {
  const W = habitus.thoraxHalfWidth;
  const apexV = rng.uniform(0.07, 0.11);
  const inspiration = rng.uniform(0.56, 0.66); // dome height below the apex
  const domeR = apexV + inspiration;
  const domeL = domeR + rng.uniform(0.01, 0.035);
  const cpDrop = rng.uniform(0.05, 0.08);
  const mediastinumHalfWidth = rng.uniform(0.055, 0.07);
  // Heart: tilted ellipse whose horizontal extent gives the target cardiothoracic ratio.
  const angle = rng.uniform(0.4, 0.7);
  const ratio = rng.uniform(0.62, 0.75);
  const targetWidth = findings.ctr * 2 * W;
  const a = targetWidth / ellipseWidth(1, ratio, angle);
  const b = a * ratio;
  const heartHalfHeight = Math.sqrt(a * a * Math.sin(angle) ** 2 + b * b * Math.cos(angle) ** 2);
  const heart = {
    u: targetWidth * rng.uniform(0.14, 0.24),
    v: domeL - heartHalfHeight * rng.uniform(0.45, 0.6),
    a,
    b,
    angle,
  };
  return {
    habitus,
    findings,
    centerU: rng.uniform(-0.03, 0.03),
    topV: rng.uniform(-0.03, 0.04),
    rotation: rng.uniform(-0.05, 0.05),
    spineShift: rng.uniform(-0.015, 0.015),
    apexV,
    domeV: [domeR, domeL],
    cpV: [domeR + cpDrop, domeL + cpDrop * rng.uniform(0.9, 1.1)],
    domePeak: rng.uniform(0.4, 0.55),
    mediastinumHalfWidth,
    aorticKnob: rng.uniform(0.015, 0.035),
    tracheaHalfWidth: rng.uniform(0.009, 0.012),
    spineHalfWidth: rng.uniform(0.03, 0.038),
    heart,
    ribSpacing: inspiration / rng.uniform(7.6, 8.6),
    firstRibV: apexV + rng.uniform(-0.01, 0.01),
    ribWidth: rng.uniform(0.02, 0.026),
    arms: rng.chance(0.6),
    clavicleTilt: rng.uniform(-0.03, 0.02) + (ap ? -0.02 : 0),
    gastricBubble: rng.chance(0.7) ? { du: rng.uniform(0.35, 0.6) * W, dv: rng.uniform(0.03, 0.06), r: rng.uniform(0.02, 0.04) } : { du: 0, dv: 0, r: 0 },
    ap,
    vesselSeed: rng.int(0, 0x7fffffff),
  };
}

/** Cardiothoracic ratio the anatomy renders: heart extent / inner thoracic width. */
export function renderedCtr(anatomy: Anatomy): number {
  const { a, b, angle } = anatomy.heart;
  return ellipseWidth(a, b, angle) / (2 * anatomy.habitus.thoraxHalfWidth);
}
