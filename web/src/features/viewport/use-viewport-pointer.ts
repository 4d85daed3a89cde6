/**
 * Mouse interaction on the viewport: the left button applies the active tool (window,
 * zoom, pan), the right button zooms and the middle button pans; the wheel scrolls frames
 * (with Ctrl: zoom).
 */
import cornerstone from 'cornerstone-core';
import { useEffect } from 'react';
import { setAutoFit } from './viewport-actions.ts';
import { viewportUiStore, type Tool } from '../../shared/viewport/viewport-store.ts';

function toolFor(button: number): Tool {
  if (button === 2) return 'zoom';
  if (button === 1) return 'pan';
  return viewportUiStore.get().tool;
}

export function useViewportPointer(element: HTMLElement | null, onScrollFrames: (delta: number) => void): void {
  useEffect(() => {
    if (!element) return;
    let drag: { tool: Tool; x: number; y: number } | undefined;

    const onDown = (event: PointerEvent): void => {
      drag = { tool: toolFor(event.button), x: event.clientX, y: event.clientY };
      element.setPointerCapture(event.pointerId);
      event.preventDefault();
    };
    const onMove = (event: PointerEvent): void => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag.x = event.clientX;
      drag.y = event.clientY;
      let viewport;
      try {
        viewport = cornerstone.getViewport(element);
      } catch {
        return;
      }
      if (!viewport) return;
      const image = cornerstone.getEnabledElement(element).image;
      if (!image) return;
      if (drag.tool === 'window' && viewport.voi) {
        // Sensitivity scales with the image's value range so a drag across the viewport covers it.
        const range = Math.max(1, (image.maxPixelValue - image.minPixelValue) * Math.abs(image.slope));
        const perPixel = range / 512;
        viewport.voi.windowWidth = Math.max(1, viewport.voi.windowWidth + dx * perPixel);
        viewport.voi.windowCenter = viewport.voi.windowCenter + dy * perPixel;
      } else if (drag.tool === 'zoom') {
        setAutoFit(false);
        viewport.scale = Math.min(40, Math.max(0.05, (viewport.scale ?? 1) * Math.exp(-dy * 0.01)));
      } else if (drag.tool === 'pan') {
        setAutoFit(false);
        const scale = viewport.scale ?? 1;
        const t = viewport.translation ?? { x: 0, y: 0 };
        // Translation is in image pixels before rotation/flip: rotate the screen delta back.
        const angle = (-(viewport.rotation ?? 0) * Math.PI) / 180;
        let ix = (dx * Math.cos(angle) - dy * Math.sin(angle)) / scale;
        let iy = (dx * Math.sin(angle) + dy * Math.cos(angle)) / scale;
        if (viewport.hflip) ix = -ix;
        if (viewport.vflip) iy = -iy;
        viewport.translation = { x: t.x + ix, y: t.y + iy };
      }
      cornerstone.setViewport(element, viewport);
    };
    const onUp = (event: PointerEvent): void => {
      drag = undefined;
      if (element.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
    };
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      if (event.ctrlKey) {
        setAutoFit(false);
        try {
          const viewport = cornerstone.getViewport(element);
          if (!viewport) return;
          viewport.scale = Math.min(40, Math.max(0.05, (viewport.scale ?? 1) * Math.exp(-event.deltaY * 0.002)));
          cornerstone.setViewport(element, viewport);
        } catch {
          /* no image yet */
        }
        return;
      }
      onScrollFrames(event.deltaY > 0 ? 1 : -1);
    };
    const onContext = (event: MouseEvent): void => event.preventDefault();

    element.addEventListener('pointerdown', onDown);
    element.addEventListener('pointermove', onMove);
    element.addEventListener('pointerup', onUp);
    element.addEventListener('pointercancel', onUp);
    element.addEventListener('wheel', onWheel, { passive: false });
    element.addEventListener('contextmenu', onContext);
    return () => {
      element.removeEventListener('pointerdown', onDown);
      element.removeEventListener('pointermove', onMove);
      element.removeEventListener('pointerup', onUp);
      element.removeEventListener('pointercancel', onUp);
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('contextmenu', onContext);
    };
  }, [element, onScrollFrames]);
}
