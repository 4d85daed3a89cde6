import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

/** Mounts the viewer into #root. */
export function renderApp(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('Expected an element #root in index.html, but found none');
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
