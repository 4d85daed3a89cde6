/**
 * The viewer's layout: top bar, studies on the left, the viewport in the middle, findings
 * and tags on the right, the worklist below the viewport.
 */
import { useCallback, useState } from 'react';
import { OpenFilesButton } from '../features/open-files/open-files-button.tsx';
import { useFileDrop } from '../features/open-files/use-file-drop.ts';
import { FileErrors } from '../features/studies/file-errors.tsx';
import { StudyBrowser } from '../features/studies/study-browser.tsx';
import { useCurrentView } from '../features/studies/use-current-view.ts';
import { MetadataPanel } from '../features/metadata/metadata-panel.tsx';
import { FrameNavigator } from '../features/viewport/frame-navigator.tsx';
import { imageIdOf } from '../features/viewport/radlocal-image-loader.ts';
import { Viewport } from '../features/viewport/viewport.tsx';
import { ViewportOverlay } from '../features/viewport/viewport-overlay.tsx';
import { ViewportToolbar } from '../features/viewport/viewport-toolbar.tsx';

type Tab = 'findings' | 'tags' | 'privacy';

export function App() {
  const dragging = useFileDrop();
  const view = useCurrentView();
  const [tab, setTab] = useState<Tab>('findings');
  const { setIndex, index } = view;
  const onScrollFrames = useCallback((delta: number) => setIndex(index + delta), [setIndex, index]);
  const imageId = view.file ? imageIdOf(view.file.id, view.frame) : undefined;

  return (
    <div className="app" data-testid="app">
      <header className="topbar">
        <div className="brand">
          <h1>RadLocal</h1>
          <span className="brand-sub">local second opinion</span>
        </div>
        <OpenFilesButton />
        <div className="topbar-spacer" />
      </header>
      <div className="workspace">
        <aside className="sidebar sidebar-left" aria-label="Studies">
          <h2 className="panel-title">Studies</h2>
          <StudyBrowser />
          <FileErrors />
        </aside>
        <main className="center">
          <ViewportToolbar hasHeatmap={false} />
          <Viewport imageId={imageId} seriesKey={view.series?.key} heatmap={undefined} onScrollFrames={onScrollFrames}>
            <ViewportOverlay file={view.file} position={view.index} total={view.total} frame={view.frame} />
          </Viewport>
          <FrameNavigator index={view.index} total={view.total} onChange={setIndex} onStep={view.step} />
        </main>
        <aside className="sidebar sidebar-right" aria-label="Details">
          <div className="tabs" role="tablist">
            {(['findings', 'tags', 'privacy'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
                {t === 'findings' ? 'Findings' : t === 'tags' ? 'Tags' : 'Privacy'}
              </button>
            ))}
          </div>
          <div className="tab-body">{tab === 'tags' && <MetadataPanel file={view.file} />}</div>
        </aside>
      </div>
      {dragging && <div className="drop-overlay">Drop files or folders to open them</div>}
    </div>
  );
}
