/**
 * Entry: kept tiny so the inference worker (model fetch, verify, TensorFlow.js, warm-up — the
 * cold start's critical path) starts first, from the boot module, while the rest loads: then the
 * app's start-up (test hooks, triage queue, decode worker) and the React app, each its own chunk.
 */
import './app/app.css';
import { bootInferenceWorker } from './features/findings/boot-inference-worker.ts';

bootInferenceWorker();
// The React app (the larger chunk) loads while the small start-up chunk runs.
const app = import('./app/render-app.tsx');
const { startApp } = await import('./app/start-app.ts');
startApp();
(await app).renderApp();
