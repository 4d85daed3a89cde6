/**
 * Draws a class activation map over the rendered cornerstone image, in image pixel
 * coordinates (cornerstone's own transform: zoom, pan, rotation, flips), so the map stays
 * aligned whatever the view. Called after each render.
 */
import cornerstone from 'cornerstone-core';
import type { EnabledElement } from 'cornerstone-core';
import type { FitGeometry } from '../../../../core/preprocess/fit-geometry.ts';
import { camToRgba } from '../../../../core/model/heatmap-colours.ts';

export interface HeatmapOverlay {
  /** Activation grid covering the whole model input (height × width of the card's input). */
  cam: Float32Array;
  camWidth: number;
  camHeight: number;
  /** Where the source image lies in the model input. */
  geometry: FitGeometry;
}

const canvases = new WeakMap<HeatmapOverlay, HTMLCanvasElement>();

function camCanvas(overlay: HeatmapOverlay): HTMLCanvasElement {
  const cached = canvases.get(overlay);
  if (cached) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = overlay.camWidth;
  canvas.height = overlay.camHeight;
  const ctx = canvas.getContext('2d');
  const rgba = camToRgba(overlay.cam, overlay.camWidth, overlay.camHeight);
  if (ctx) ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), overlay.camWidth, overlay.camHeight), 0, 0);
  canvases.set(overlay, canvas);
  return canvas;
}

export function drawHeatmap(enabled: EnabledElement, ctx: CanvasRenderingContext2D, overlay: HeatmapOverlay, opacity: number): void {
  const image = enabled.image;
  if (!image) return;
  const g = overlay.geometry;
  ctx.save();
  // The @types declare the enabled element loosely; cornerstone's function takes the same object.
  cornerstone.setToPixelCoordinateSystem(enabled, ctx);
  ctx.beginPath();
  ctx.rect(0, 0, image.columns, image.rows);
  ctx.clip();
  ctx.globalAlpha = opacity;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  // Input pixel (x, y) ↔ source pixel ((x − offsetX) / scaleX, (y − offsetY) / scaleY).
  ctx.drawImage(camCanvas(overlay), -g.offsetX / g.scaleX, -g.offsetY / g.scaleY, g.width / g.scaleX, g.height / g.scaleY);
  ctx.restore();
}
