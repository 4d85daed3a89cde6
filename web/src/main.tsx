import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import './app/app.css';
import { installTestHooks } from './app/test-hooks.ts';
import { warmDecoder } from './features/decode/decode-client.ts';
import { installInferenceQueue } from './features/findings/inference-queue.ts';

installTestHooks();
// Workers start before React renders: the model loads and the decoder parses meanwhile.
installInferenceQueue();
warmDecoder();
const container = document.getElementById('root');
if (!container) throw new Error('Expected an element #root in index.html, but found none');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
