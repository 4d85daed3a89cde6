/**
 * Learning-rate schedule: linear warm-up from 0 to `base` over `warmupSteps`, then cosine decay
 * to `base · floor` at `totalSteps`.
 */
export interface ScheduleOptions {
  base: number;
  warmupSteps: number;
  totalSteps: number;
  /** Final fraction of the base rate. Default 0.02. */
  floor?: number;
}

/** @param step 0-based optimisation step. */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  const floor = o.floor ?? 0.02;
  if (step < o.warmupSteps) return (o.base * (step + 1)) / o.warmupSteps;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / span);
  return o.base * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
