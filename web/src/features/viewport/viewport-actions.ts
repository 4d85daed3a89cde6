/**
 * Imperative actions on the one cornerstone viewport (toolbar buttons, shortcuts). The
 * viewport component registers its element here when it mounts.
 */
import cornerstone from 'cornerstone-core';
import type { Viewport } from 'cornerstone-core';
import { findFile } from '../../shared/session/session-store.ts';
import { parseImageId } from './radlocal-image-loader.ts';
import { defaultWindow, type DisplayWindow } from './to-cornerstone-image.ts';
import { presetWindow, type PresetName } from './window-presets.ts';

let element: HTMLElement | undefined;
/** True while the image should follow the viewport size (until the user zooms or pans). */
let autoFit = true;

export function setAutoFit(value: boolean): void {
  autoFit = value;
}

export function isAutoFit(): boolean {
  return autoFit;
}

export function attachViewportElement(el: HTMLElement | undefined): void {
  element = el;
}

function current(): { el: HTMLElement; viewport: Viewport } | undefined {
  if (!element) return undefined;
  try {
    const enabled = cornerstone.getEnabledElement(element);
    if (!enabled.image) return undefined;
    const viewport = cornerstone.getViewport(element);
    return viewport ? { el: element, viewport } : undefined;
  } catch {
    return undefined;
  }
}

export function updateViewport(change: (viewport: Viewport) => void): void {
  const c = current();
  if (!c) return;
  change(c.viewport);
  cornerstone.setViewport(c.el, c.viewport);
}

export function setWindow(window: DisplayWindow): void {
  updateViewport((v) => {
    v.voi = { windowCenter: window.center, windowWidth: Math.max(1, window.width) };
  });
}

export function toggleInvert(): void {
  updateViewport((v) => {
    v.invert = !v.invert;
  });
}

export function rotate(degrees: number): void {
  updateViewport((v) => {
    v.rotation = (((v.rotation ?? 0) + degrees) % 360 + 360) % 360;
  });
}

export function flip(axis: 'h' | 'v'): void {
  updateViewport((v) => {
    if (axis === 'h') v.hflip = !v.hflip;
    else v.vflip = !v.vflip;
  });
}

export function fit(): void {
  const c = current();
  autoFit = true;
  if (c) cornerstone.fitToWindow(c.el);
}

export function reset(): void {
  const c = current();
  autoFit = true;
  if (c) cornerstone.reset(c.el);
}

export async function applyPreset(name: PresetName): Promise<void> {
  const c = current();
  if (!c) return;
  const enabled = cornerstone.getEnabledElement(c.el);
  const image = enabled.image;
  if (!image) return;
  const header = findFile(parseImageId(image.imageId).fileId)?.image;
  if (!header) return;
  const lo = image.minPixelValue * image.slope + image.intercept;
  const hi = image.maxPixelValue * image.slope + image.intercept;
  const fileWindow = defaultWindow(header, image.minPixelValue, image.maxPixelValue);
  setWindow(presetWindow(name, header.modality, fileWindow, Math.min(lo, hi), Math.max(lo, hi)));
}
