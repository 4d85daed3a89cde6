/**
 * Synthetic "other hospitals" for site validation demos (`radlocal synth --site NAME`): an
 * acquisition shift plus the population's prevalences. The default model was trained on the
 * generator's default world; on these sites its scores are measurably miscalibrated (README,
 * "Validate and recalibrate at your site").
 */
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { NO_SHIFT, type AcquisitionShift } from './acquisition.ts';
import { DEFAULT_PREVALENCE, type Prevalence } from './findings.ts';

export interface SitePreset {
  description: string;
  shift: AcquisitionShift;
  prevalence: Prevalence;
}

export const SITE_PRESETS = {
  /** Older CR plates in an ICU-heavy hospital: noisy, soft, flat; sicker patients. */
  county: {
    description: 'older CR plates, ICU-heavy: 2.5× noise, soft detector, flat tone curve, higher prevalences',
    shift: { exposure: 0.85, contrast: 0.7, noise: 2.5, blur: 1.6 },
    prevalence: { cardiomegaly: 0.45, pleural_effusion: 0.4, pneumothorax: 0.12, nodule: 0.15 },
  },
  /** A modern DR room of an outpatient clinic: crisp, hard contrast; few findings. */
  clinic: {
    description: 'modern DR, outpatient: hard tone curve, low noise, low prevalences',
    shift: { exposure: 1.1, contrast: 1.35, noise: 0.6, blur: 0 },
    prevalence: { cardiomegaly: 0.15, pleural_effusion: 0.1, pneumothorax: 0.05, nodule: 0.1 },
  },
} as const satisfies Record<string, SitePreset>;

export type SiteName = keyof typeof SITE_PRESETS;
export const SITE_NAMES = Object.keys(SITE_PRESETS) as SiteName[];

/** The generator's own world: no shift, the default prevalences. */
export const DEFAULT_SITE: SitePreset = { description: 'the generator default', shift: NO_SHIFT, prevalence: DEFAULT_PREVALENCE };

export function sitePreset(name: string | undefined): SitePreset {
  if (name === undefined) return DEFAULT_SITE;
  if (!(SITE_NAMES as string[]).includes(name)) {
    throw new RadLocalError('CLI_USAGE', `Expected --site to be one of ${SITE_NAMES.join(', ')}, but got "${name}".`);
  }
  return SITE_PRESETS[name as SiteName];
}
