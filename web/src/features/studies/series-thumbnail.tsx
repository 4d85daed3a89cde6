import { useEffect, useRef } from 'react';
import type { Thumbnail } from '../../shared/session/opened-file.ts';

/**
 * A series' first image, from the small thumbnail triage made in the decode worker (no
 * decoded pixels on the page); black until that image has been triaged.
 */
export function SeriesThumbnail({ thumbnail }: { thumbnail: Thumbnail | undefined }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const target = canvas.current;
    const ctx = target?.getContext('2d');
    if (!target || !ctx || !thumbnail) return;
    const { width, height, grey } = thumbnail;
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < grey.length; i++) {
      const v = grey[i] as number;
      rgba[i * 4] = v;
      rgba[i * 4 + 1] = v;
      rgba[i * 4 + 2] = v;
      rgba[i * 4 + 3] = 255;
    }
    ctx.clearRect(0, 0, target.width, target.height);
    const scale = Math.min(target.width / width, target.height / height);
    const tile = document.createElement('canvas');
    tile.width = width;
    tile.height = height;
    tile.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
    ctx.drawImage(tile, (target.width - width * scale) / 2, (target.height - height * scale) / 2, width * scale, height * scale);
  }, [thumbnail]);
  return <canvas ref={canvas} width={72} height={72} className="series-thumbnail" aria-hidden />;
}
