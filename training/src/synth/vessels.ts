/**
 * Pulmonary vascular markings: a branching tree from each hilum, rasterised as soft,
 * tapering tubes into a separate map (max-blended), so that the renderer can keep them only
 * where aerated lung is (no markings beyond a pneumothorax's pleural line).
 */
import type { Anatomy } from './anatomy.ts';
import { createRng, type Rng } from '../../../core/random/prng.ts';

interface Segment {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
  /** Tube radius at the start and end (image units). */
  r0: number;
  r1: number;
}

/** Hilum position (thorax coordinates) of one side (-1 right, +1 left). */
export function hilum(anatomy: Anatomy, side: -1 | 1): { u: number; v: number } {
  const H = anatomy.cpV[side < 0 ? 0 : 1] - anatomy.apexV;
  return { u: anatomy.spineShift + side * (anatomy.mediastinumHalfWidth + 0.035), v: anatomy.apexV + H * (side < 0 ? 0.42 : 0.38) };
}

function grow(rng: Rng, out: Segment[], u: number, v: number, angle: number, length: number, radius: number, depth: number): void {
  const u1 = u + Math.cos(angle) * length;
  const v1 = v + Math.sin(angle) * length;
  const r1 = radius * 0.78;
  out.push({ u0: u, v0: v, u1, v1, r0: radius, r1 });
  if (depth === 0 || r1 < 0.0012) return;
  const spread = rng.uniform(0.3, 0.55);
  grow(rng, out, u1, v1, angle - spread + rng.uniform(-0.1, 0.1), length * rng.uniform(0.68, 0.82), r1, depth - 1);
  grow(rng, out, u1, v1, angle + spread + rng.uniform(-0.1, 0.1), length * rng.uniform(0.68, 0.82), r1 * rng.uniform(0.8, 1), depth - 1);
}

/** Vessel segments in thorax coordinates (u, v), both lungs. */
export function vesselSegments(anatomy: Anatomy): Segment[] {
  const rng = createRng(anatomy.vesselSeed);
  const out: Segment[] = [];
  for (const side of [-1, 1] as const) {
    const h = hilum(anatomy, side);
    // Root directions (image angle; 0 = lateral on the right lung after mirroring).
    for (const base of [-1.35, -0.75, -0.25, 0.3, 0.85, 1.25]) {
      const a = base + rng.uniform(-0.15, 0.15);
      const angle = side > 0 ? a : Math.PI - a;
      grow(rng, out, h.u, h.v, angle, rng.uniform(0.05, 0.075), rng.uniform(0.005, 0.007), 4);
    }
  }
  return out;
}

/**
 * Rasterises the segments into `map` ([size, size], max-blended); `toImage` maps thorax
 * coordinates to pixel coordinates (column, row).
 */
export function rasteriseVessels(segments: Segment[], map: Float32Array, size: number, toImage: (u: number, v: number) => [number, number], amplitudePerUnitRadius: number): void {
  for (const s of segments) {
    const [c0, r0] = toImage(s.u0, s.v0);
    const [c1, r1] = toImage(s.u1, s.v1);
    const lengthPx = Math.hypot(c1 - c0, r1 - r0);
    // Stamps about half a radius apart (at least one per pixel for thin vessels).
    const stepPx = Math.max(1, 0.5 * Math.max(s.r0, s.r1) * size);
    const steps = Math.max(1, Math.ceil(lengthPx / stepPx));
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      const cx = c0 + (c1 - c0) * t;
      const cy = r0 + (r1 - r0) * t;
      const radiusUnits = s.r0 + (s.r1 - s.r0) * t;
      const rpx = Math.max(0.6, radiusUnits * size);
      const amp = amplitudePerUnitRadius * radiusUnits;
      const cMin = Math.max(0, Math.floor(cx - rpx));
      const cMax = Math.min(size - 1, Math.ceil(cx + rpx));
      const rMin = Math.max(0, Math.floor(cy - rpx));
      const rMax = Math.min(size - 1, Math.ceil(cy + rpx));
      for (let r = rMin; r <= rMax; r++) {
        for (let c = cMin; c <= cMax; c++) {
          const dx = c + 0.5 - cx;
          const dy = r + 0.5 - cy;
          const q = 1 - (dx * dx + dy * dy) / (rpx * rpx);
          if (q <= 0) continue;
          const val = amp * Math.sqrt(q);
          const i = r * size + c;
          if (val > (map[i] as number)) map[i] = val;
        }
      }
    }
  }
}
