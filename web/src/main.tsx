/**
 * Entry: starts the inference worker (model fetch, verify, build, warm-up) and the decode
 * worker first, from a small chunk, then loads and renders the React app (a separate,
 * larger chunk) while they work — the cold start to the first score is their critical path.
 */
import './app/app.css';
import { installTestHooks } from './app/test-hooks.ts';
import { warmDecoder } from './shared/decode/decode-client.ts';
import { installInferenceQueue } from './features/findings/inference-queue.ts';
import { installSiteRescoring } from './shared/findings/findings-store.ts';

installTestHooks();
installInferenceQueue();
installSiteRescoring();
warmDecoder();
const { renderApp } = await import('./app/render-app.tsx');
renderApp();
