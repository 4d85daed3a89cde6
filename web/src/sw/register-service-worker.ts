/**
 * Registers the offline service worker (production builds only; the dev server has no sw.js).
 * Loaded from index.html as its own module so the viewer's entry point stays independent of it.
 */
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  // Same folder as index.html, so the worker's scope is the whole app.
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
    // Offline use is a convenience; the app works online without it. No reporting service exists.
    console.warn('RadLocal: the offline service worker could not be registered:', error);
  });
}
export {};
