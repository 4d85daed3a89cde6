import cornerstone from 'cornerstone-core';
import { useEffect, useRef } from 'react';
import { imageIdOf, registerRadLocalImageLoader } from '../viewport/radlocal-image-loader.ts';

/** A small rendering of a series' first image (same loader and LUTs as the viewport). */
export function SeriesThumbnail({ fileId }: { fileId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    registerRadLocalImageLoader();
    let cancelled = false;
    void cornerstone.loadAndCacheImage(imageIdOf(fileId, 0)).then(
      (image) => {
        if (!cancelled && canvas.current) cornerstone.renderToCanvas(canvas.current, image);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [fileId]);
  return <canvas ref={canvas} width={72} height={72} className="series-thumbnail" aria-hidden />;
}
