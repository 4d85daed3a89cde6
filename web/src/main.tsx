import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import './app/app.css';
import { installTestHooks } from './app/test-hooks.ts';

installTestHooks();
const container = document.getElementById('root');
if (!container) throw new Error('Expected an element #root in index.html, but found none');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
