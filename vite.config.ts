import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { securityHeadersPlugin } from './web/build/security-headers-plugin.ts';
import { dicomwebProxyPlugin } from './web/build/pacs/dicomweb-proxy-plugin.ts';
import { serviceWorkerPlugin } from './web/build/service-worker-plugin.ts';
import { zodJitlessPlugin } from './web/build/zod-jitless-plugin.ts';
import { serveModels } from './web/build/serve-models.ts';
import { BUILD_DIR, PREVIEW_PORT } from './web/build/build-location.ts';

export default defineConfig({
  root: 'web',
  base: './',
  plugins: [react(), serveModels('models'), securityHeadersPlugin(), dicomwebProxyPlugin(), serviceWorkerPlugin(), zodJitlessPlugin()],
  build: {
    outDir: BUILD_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // A chunk is named after its first module. Those of core/site/site-profile.ts and
        // apply-site-profile.ts (loaded with the site validation dialog) would put
        // "site-profile" in an asset's address — what the privacy checks look for in requests,
        // as the sign of a site's profile being fetched or sent. (A site profile is the site's calibration.)
        chunkFileNames: (chunk) => `assets/${chunk.name.replace(/site-profile/g, 'site-calibration')}-[hash].js`,
      },
    },
  },
  worker: { format: 'es', plugins: () => [zodJitlessPlugin()] },
  // Dev server: pre-bundle every dependency at start — the workers' (found from their entry
  // files; Vite's scan does not follow `new Worker(new URL(…))` or the inference worker's
  // dynamic import) included: one found later makes Vite re-optimise and abort the requests in
  // flight, which left the decode worker dead and no score shown. Pre-bundled zod gets the same
  // jitless seed as the build.
  optimizeDeps: {
    entries: ['index.html', 'src/**/*.worker.ts', 'src/features/findings/inference-engine.ts'],
    rolldownOptions: { plugins: [zodJitlessPlugin()] },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: PREVIEW_PORT, strictPort: true },
});
