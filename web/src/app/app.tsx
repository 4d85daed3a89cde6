/**
 * The viewer's layout: top bar, studies on the left, the viewport in the middle, findings
 * and tags on the right, the worklist below the viewport.
 */
import { useCallback, useMemo, useState } from 'react';
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
import { FindingsPanel } from '../features/findings/findings-panel.tsx';
import { ModelBadge } from '../features/findings/model-badge.tsx';
import { modelStore } from '../shared/findings/model-store.ts';
import { SyntheticBanner } from '../features/findings/synthetic-banner.tsx';
import { useCurrentFinding } from '../features/findings/use-current-finding.ts';
import { useHeatmapOverlay } from './use-heatmap-overlay.ts';
import { PrivacyAuditPanel } from '../features/privacy-audit/privacy-audit-panel.tsx';
import { select, sessionStore } from '../shared/session/session-store.ts';
import { neighbourRow } from '../features/worklist/worklist-store.ts';
import { useStore } from '../shared/store/create-store.ts';
import { clearSession } from './clear-session.ts';
import { Icon } from '../shared/ui/icon.tsx';
import { WorklistTable } from '../features/worklist/worklist-table.tsx';
import { cancelTriage, resumeTriage } from '../features/findings/inference-queue.ts';
import { ReportActions } from '../features/report/report-actions.tsx';
import { PacsPanel } from '../features/pacs/pacs-panel.tsx';
import { stopTriage as stopPacsTriage } from '../features/pacs/pacs-actions.ts';
import { pacsStore } from '../features/pacs/pacs-store.ts';
import { SrActions } from '../features/pacs/sr-actions.tsx';
import { PacsRequestLog } from '../features/pacs/pacs-request-log.tsx';
import { openAndShow, openForTriage } from './open-pacs-study.ts';
import { ShortcutsHelp } from '../features/shortcuts/shortcuts-help.tsx';
import { SiteValidationLauncher } from './site-validation-launcher.tsx';
import { useShortcuts } from './use-shortcuts.ts';

type Tab = 'findings' | 'tags' | 'privacy';

/**
 * The worklist's cancel / resume act on the findings feature's triage queue; cancel also stops
 * a PACS query being opened for triage (no further study is listed or retrieved).
 */
const TRIAGE_CONTROLS = {
  onCancel: () => {
    stopPacsTriage();
    cancelTriage();
  },
  onResume: resumeTriage,
};

export function App() {
  const dragging = useFileDrop();
  const view = useCurrentView();
  const [tab, setTab] = useState<Tab>('findings');
  const { setIndex, index } = view;
  const onScrollFrames = useCallback((delta: number) => setIndex(index + delta), [setIndex, index]);
  const imageId = view.file ? imageIdOf(view.file.id, view.frame) : undefined;
  const finding = useCurrentFinding(view.file, view.frame);
  const heatmap = useHeatmapOverlay(finding);
  const model = useStore(modelStore, (m) => m);
  const files = useStore(sessionStore, (s) => s.files);
  const openedSha = useMemo(() => files.flatMap((f) => (f.sha256 ? [f.sha256] : [])), [files]);
  const modelInfo = useMemo(
    () => (model.state === 'ready' ? { name: model.card.name, version: model.card.version, sha256: model.modelSha256, verified: true } : null),
    [model],
  );
  const pacsTriaging = useStore(pacsStore, (s) => s.busy === 'triaging');
  const triageControls = useMemo(() => ({ ...TRIAGE_CONTROLS, opening: pacsTriaging }), [pacsTriaging]);
  const [helpOpen, setHelpOpen] = useState(false);
  const stepCase = useCallback((delta: number) => {
    const row = neighbourRow(sessionStore.get().selection?.seriesKey, delta);
    if (row) select({ seriesKey: row.firstSeriesKey, index: 0 });
  }, []);
  useShortcuts({ step: onScrollFrames, stepCase, toggleHelp: () => setHelpOpen((o) => !o) });

  return (
    <div className="app" data-testid="app">
      <header className="topbar">
        <div className="brand">
          <h1>RadLocal</h1>
          <span className="brand-sub">local second opinion</span>
        </div>
        <OpenFilesButton />
        <div className="topbar-spacer" />
        <SiteValidationLauncher />
        <ModelBadge />
        <button type="button" className="tool" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
          <Icon name="help" />
        </button>
      </header>
      <SyntheticBanner />
      <div className="workspace">
        <aside className="sidebar sidebar-left" aria-label="Studies">
          <PacsPanel openStudy={openAndShow} openForTriage={openForTriage} />
          <h2 className="panel-title">Studies</h2>
          <StudyBrowser />
          <FileErrors />
        </aside>
        <main className="center">
          <ViewportToolbar
            hasHeatmap={heatmap !== undefined}
            heatmapUnavailable={finding?.prediction?.ood.flagged ? 'No heatmap: the image is out of distribution' : 'No heatmap yet'}
          />
          <Viewport imageId={imageId} seriesKey={view.series?.key} heatmap={heatmap} onScrollFrames={onScrollFrames}>
            <ViewportOverlay file={view.file} position={view.index} total={view.total} frame={view.frame} />
          </Viewport>
          <FrameNavigator index={view.index} total={view.total} onChange={setIndex} onStep={view.step} />
          <WorklistTable triage={triageControls} />
        </main>
        <aside className="sidebar sidebar-right" aria-label="Details">
          <div className="tabs" role="tablist">
            {(['findings', 'tags', 'privacy'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
                {t === 'findings' ? 'Findings' : t === 'tags' ? 'Tags' : 'Privacy'}
              </button>
            ))}
          </div>
          <div className="tab-body">
            <div hidden={tab !== 'findings'}>
              <FindingsPanel
                file={view.file}
                frame={view.frame}
                actions={
                  <>
                    <ReportActions study={view.study} />
                    <SrActions image={view.file?.image} prediction={finding?.prediction} model={model.state === 'ready' ? { name: model.card.name, version: model.card.version } : null} />
                  </>
                }
              />
            </div>
            <div hidden={tab !== 'tags'}>
              <MetadataPanel file={view.file} />
            </div>
            <div hidden={tab !== 'privacy'}>
              <PrivacyAuditPanel model={modelInfo} openedFileSha256={openedSha} onClearSession={clearSession} shown={tab === 'privacy'} />
              {tab === 'privacy' && <PacsRequestLog />}
            </div>
          </div>
        </aside>
      </div>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      {dragging && <div className="drop-overlay">Drop files or folders to open them</div>}
    </div>
  );
}
