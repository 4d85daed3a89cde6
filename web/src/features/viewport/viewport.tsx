/**
 * The cornerstone-core viewport: shows `imageId`, keeps zoom/pan/window while scrolling
 * through a series, draws the heatmap after every render and reports the live window.
 */
import cornerstone from 'cornerstone-core';
import type { EnabledElement } from 'cornerstone-core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { drawHeatmap, type HeatmapOverlay } from './draw-heatmap.ts';
import { registerRadLocalImageLoader } from './radlocal-image-loader.ts';
import { useViewportPointer } from './use-viewport-pointer.ts';
import { attachViewportElement, isAutoFit, setAutoFit } from './viewport-actions.ts';
import { setViewportUi, viewportUiStore } from '../../shared/viewport/viewport-store.ts';

interface ViewportProps {
  imageId: string | undefined;
  /** Changes when another series is shown: the view is fitted again. */
  seriesKey: string | undefined;
  heatmap: HeatmapOverlay | undefined;
  onScrollFrames: (delta: number) => void;
  children?: ReactNode;
}

interface RenderedEventDetail {
  enabledElement: EnabledElement;
  canvasContext: CanvasRenderingContext2D;
}

export function Viewport({ imageId, seriesKey, heatmap, onScrollFrames, children }: ViewportProps) {
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const [error, setError] = useState<SerializedError | undefined>();
  const shownSeries = useRef<string | undefined>(undefined);
  const heatmapRef = useRef(heatmap);
  heatmapRef.current = heatmap;
  const heatmapVisible = useStore(viewportUiStore, (s) => s.heatmapVisible);
  const heatmapOpacity = useStore(viewportUiStore, (s) => s.heatmapOpacity);

  useViewportPointer(element, onScrollFrames);

  useEffect(() => {
    if (!element) return;
    registerRadLocalImageLoader();
    cornerstone.enable(element);
    attachViewportElement(element);
    let renders = 0;
    const onRendered = (event: Event): void => {
      const detail = (event as CustomEvent<RenderedEventDetail>).detail;
      const ui = viewportUiStore.get();
      const overlay = heatmapRef.current;
      if (overlay && ui.heatmapVisible) drawHeatmap(detail.enabledElement, detail.canvasContext, overlay, ui.heatmapOpacity);
      const v = detail.enabledElement.viewport;
      // Exposed for tests and tools: which image is on screen and how often it was drawn.
      element.dataset.imageId = detail.enabledElement.image?.imageId ?? '';
      element.dataset.renders = String(++renders);
      setViewportUi({
        window: v?.voi ? { center: v.voi.windowCenter, width: v.voi.windowWidth } : undefined,
        scale: v?.scale,
      });
    };
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    // The viewport changes size with the window and the panels around it: keep the canvas
    // the element's size and the image fitted (unless the reader zoomed or panned).
    const observer = new ResizeObserver(() => {
      try {
        cornerstone.resize(element, false);
        if (isAutoFit() && cornerstone.getEnabledElement(element).image) cornerstone.fitToWindow(element);
      } catch {
        /* not displaying yet */
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      attachViewportElement(undefined);
      cornerstone.disable(element);
    };
  }, [element]);

  useEffect(() => {
    if (!element) return;
    if (!imageId) {
      // Nothing to show (e.g. the session was cleared): take the last image off the screen.
      try {
        if (cornerstone.getEnabledElement(element).image) {
          cornerstone.disable(element);
          cornerstone.enable(element);
        }
      } catch {
        /* not enabled yet */
      }
      shownSeries.current = undefined;
      delete element.dataset.imageId;
      return;
    }
    let cancelled = false;
    cornerstone.loadImage(imageId).then(
      (image) => {
        if (cancelled) return;
        setError(undefined);
        const sameSeries = shownSeries.current === seriesKey;
        let hasImage: boolean;
        try {
          hasImage = cornerstone.getEnabledElement(element).image !== undefined;
        } catch {
          hasImage = false;
        }
        if (sameSeries && hasImage) {
          cornerstone.displayImage(element, image, cornerstone.getViewport(element));
        } else {
          cornerstone.displayImage(element, image, cornerstone.getDefaultViewportForImage(element, image));
          cornerstone.fitToWindow(element);
          setAutoFit(true);
          shownSeries.current = seriesKey;
        }
      },
      (reason: unknown) => {
        if (!cancelled) setError(toSerializedError(reason, 'DICOM_DECODE_FAILED'));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [element, imageId, seriesKey]);

  useEffect(() => {
    if (!element) return;
    try {
      if (cornerstone.getEnabledElement(element).image) cornerstone.updateImage(element);
    } catch {
      /* nothing displayed */
    }
  }, [element, heatmap, heatmapVisible, heatmapOpacity]);

  return (
    <div className="viewport" data-testid="viewport">
      <div ref={setElement} className="viewport-canvas" data-testid="viewport-canvas" />
      {!imageId && <div className="viewport-empty">Open DICOM, PNG or JPEG files, or drop a folder here.</div>}
      {error && (
        <div className="viewport-empty" role="alert">
          {error.code}: {error.message}
        </div>
      )}
      {children}
    </div>
  );
}
