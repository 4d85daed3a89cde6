/**
 * Offline: after one visit the service worker has precached exactly the build's files, and the
 * app reloads with the network off. Cache Storage then holds app assets only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { BUILD_DIR } from '../../web/build/build-location.ts';

const MANIFEST = JSON.parse(readFileSync(join(BUILD_DIR, 'precache-manifest.json'), 'utf8')) as {
  version: string;
  files: string[];
};

async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

test('after the first visit the app loads with the network off, from a cache holding exactly the build', async ({ page, context, baseURL }) => {
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await waitForServiceWorkerControl(page);
  // Let the first visit finish loading (model, WASM) so no request is cut off by the reload.
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });

  const cacheContents = await page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((request) => new URL(request.url).pathname.slice(1)).sort();
    }
    return out;
  });
  expect(cacheContents).toEqual({ [`radlocal-assets-${MANIFEST.version}`]: MANIFEST.files });

  await context.setOffline(true);
  try {
    const failedOffline: string[] = [];
    page.on('requestfailed', (request) => failedOffline.push(request.url()));
    const response = await page.reload();
    await expect(page.getByTestId('app')).toBeVisible();
    expect(response?.fromServiceWorker()).toBe(true);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect(page.getByRole('heading', { name: 'RadLocal' })).toBeVisible();
    // The model (card, topology, weights) and the WASM backend load from the cache.
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
    expect(failedOffline).toEqual([]);
    // Same policy offline: the cached index.html kept its meta tag and response headers.
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("connect-src 'self'");
    // Something not in the build is not served from the cache (the worker caches nothing else).
    const status = await page.evaluate(async (url) => {
      try {
        return String((await fetch(url)).status);
      } catch (error) {
        return (error as Error).name;
      }
    }, `${baseURL}/not-an-asset.json`);
    expect(status).toBe('TypeError');
  } finally {
    await context.setOffline(false);
  }
});
