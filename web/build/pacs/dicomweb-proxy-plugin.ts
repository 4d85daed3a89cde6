/**
 * Vite plugin: mounts the DICOMweb proxy (./dicomweb-proxy.ts) in `vite preview` (= `npm start`)
 * and the dev server, after the security headers, so proxied answers carry the same CSP and
 * headers as every other response. The PACS configuration is read from the environment when
 * the server starts; without RADLOCAL_PACS_URL there is no route.
 *
 * The page learns at build time whether it has a PACS (`__RADLOCAL_PACS__`, from the same
 * environment — `npm start` builds and serves with it): without one it shows no PACS view and
 * never asks the server anything about a PACS, so a page without a PACS makes exactly the
 * requests it made before. Built with a PACS but served without, its PACS requests end in
 * PACS_NOT_CONFIGURED.
 */
import type { Plugin } from 'vite';
import { createDicomwebProxy } from './dicomweb-proxy.ts';
import { readPacsConfig } from './pacs-config.ts';

export function dicomwebProxyPlugin(): Plugin {
  const mount = (use: (m: ReturnType<typeof createDicomwebProxy>['middleware']) => void): void => {
    const config = readPacsConfig();
    if (config) console.log(`[radlocal pacs] forwarding DICOMweb to ${config.baseUrl.origin} (store results: ${config.stow ? 'on' : 'off'})`);
    use(createDicomwebProxy(config).middleware);
  };
  return {
    name: 'radlocal:dicomweb-proxy',
    config() {
      const config = readPacsConfig();
      return { define: { __RADLOCAL_PACS__: JSON.stringify({ configured: config !== null, stow: config?.stow ?? false }) } };
    },
    configureServer(server) {
      mount((m) => server.middlewares.use(m));
    },
    configurePreviewServer(server) {
      mount((m) => server.middlewares.use(m));
    },
  };
}
