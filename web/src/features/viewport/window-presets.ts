/**
 * Window presets. For CT the classic Hounsfield windows; for projection images (CR, DX…)
 * whose values have no absolute meaning, the same intents expressed as fractions of the
 * image's modality-value range (lo … hi).
 */
import type { DisplayWindow } from './to-cornerstone-image.ts';

export type PresetName = 'file' | 'lung' | 'bone' | 'soft-tissue';

export const PRESETS: ReadonlyArray<{ name: PresetName; label: string; key: string }> = [
  { name: 'file', label: 'From file', key: '1' },
  { name: 'lung', label: 'Lung', key: '2' },
  { name: 'bone', label: 'Bone', key: '3' },
  { name: 'soft-tissue', label: 'Soft tissue', key: '4' },
];

const HOUNSFIELD: Record<Exclude<PresetName, 'file'>, DisplayWindow> = {
  lung: { center: -600, width: 1500 },
  bone: { center: 400, width: 1800 },
  'soft-tissue': { center: 40, width: 400 },
};

/** [centre, width] as fractions of the value range for non-CT images. */
const RELATIVE: Record<Exclude<PresetName, 'file'>, [number, number]> = {
  lung: [0.4, 0.7],
  bone: [0.7, 0.5],
  'soft-tissue': [0.5, 0.35],
};

export function presetWindow(name: PresetName, modality: string | undefined, fileWindow: DisplayWindow, lo: number, hi: number): DisplayWindow {
  if (name === 'file') return fileWindow;
  if (modality === 'CT') return HOUNSFIELD[name];
  const [c, w] = RELATIVE[name];
  const range = Math.max(hi - lo, 1);
  return { center: lo + c * range, width: w * range };
}
