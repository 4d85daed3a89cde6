/**
 * The app's own file paths, from the build's precache-manifest.json (one same-origin GET of an
 * app file). null while loading or when there is no manifest (dev server).
 */
import { useEffect, useState } from 'react';
import { appPathsFromManifest } from './judge-requests.ts';

export function useAppPaths(): ReadonlySet<string> | null {
  const [paths, setPaths] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    let live = true;
    const base = new URL('.', document.baseURI).href;
    fetch(new URL('precache-manifest.json', base))
      .then((response) => (response.ok ? (response.json() as Promise<{ files?: unknown }>) : null))
      .then((manifest) => {
        if (!live || !manifest || !Array.isArray(manifest.files)) return;
        setPaths(appPathsFromManifest(manifest.files.filter((f): f is string => typeof f === 'string'), base));
      })
      .catch(() => undefined); // dev server: no manifest, paths stay unchecked
    return () => {
      live = false;
    };
  }, []);
  return paths;
}
