/**
 * Registers the offline service worker (production builds only; the dev server has no sw.js).
 * Loaded from index.html as its own module so the viewer's entry point stays independent of it.
 *
 * On a first visit the worker precaches the whole build (scripts, WASM, the model): started at
 * once, that download and its hashing compete with the model load for the first score. So it is
 * registered a few seconds after the page says the model has settled (`MODEL_SETTLED_EVENT`,
 * ready or failed: the first score is usually being computed then), or after `FALLBACK_MS`
 * whatever happens.
 */
import { MODEL_SETTLED_EVENT } from '../shared/findings/model-settled-event.ts';

const FALLBACK_MS = 10_000;
const AFTER_SETTLED_MS = 3_000;

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  let registered = false;
  const register = (): void => {
    if (registered) return;
    registered = true;
    // Same folder as index.html, so the worker's scope is the whole app.
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
      // Offline use is a convenience; the app works online without it. No reporting service exists.
      console.warn('RadLocal: the offline service worker could not be registered:', error);
    });
  };
  // A little after the model settles: the first image's decode and score come first.
  window.addEventListener(MODEL_SETTLED_EVENT, () => setTimeout(register, AFTER_SETTLED_MS), { once: true });
  setTimeout(register, FALLBACK_MS);
}
export {};
