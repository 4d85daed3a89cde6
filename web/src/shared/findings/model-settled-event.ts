/** Dispatched on `window` once the model is ready or has failed (the service worker registers then). */
export const MODEL_SETTLED_EVENT = 'radlocal:model-settled';
