import cornerstone from 'cornerstone-core';
import { useEffect, useRef } from 'react';
import { imageIdOf, registerRadLocalImageLoader } from '../viewport/radlocal-image-loader.ts';

/**
 * A small rendering of a series' first image (same loader and LUTs as the viewport), drawn
 * only once it scrolls into view: opening a hundred studies must not render a hundred
 * thumbnails on the main thread at once.
 */
export function SeriesThumbnail({ fileId }: { fileId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const target = canvas.current;
    if (!target) return;
    registerRadLocalImageLoader();
    let cancelled = false;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      void cornerstone.loadAndCacheImage(imageIdOf(fileId, 0)).then(
        (image) => {
          if (!cancelled) cornerstone.renderToCanvas(target, image);
        },
        () => undefined,
      );
    });
    observer.observe(target);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [fileId]);
  return <canvas ref={canvas} width={72} height={72} className="series-thumbnail" aria-hidden />;
}
