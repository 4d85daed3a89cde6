/** Corner annotations: key tags (as text only — tags are untrusted), position, window and zoom. */
import type { OpenedFile } from '../../shared/session/opened-file.ts';
import { TAG, tagOf } from '../../shared/session/group-studies.ts';
import { formatDicomDate } from '../../shared/format/dicom-date.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { viewportUiStore } from '../../shared/viewport/viewport-store.ts';

interface OverlayProps {
  file: OpenedFile | undefined;
  position: number;
  total: number;
  frame: number;
}

export function ViewportOverlay({ file, position, total, frame }: OverlayProps) {
  const window = useStore(viewportUiStore, (s) => s.window);
  const scale = useStore(viewportUiStore, (s) => s.scale);
  if (!file?.image) return null;
  const image = file.image;
  const name = tagOf(file, TAG.patientName).replaceAll('^', ' ');
  return (
    <div className="overlay" aria-hidden>
      <div className="corner top-left">
        <div className="overlay-strong">{name || '—'}</div>
        <div>{tagOf(file, TAG.patientId)}</div>
        <div>{formatDicomDate(tagOf(file, TAG.studyDate))}</div>
        <div>{tagOf(file, TAG.studyDescription)}</div>
      </div>
      <div className="corner top-right">
        <div className="overlay-strong">
          {image.modality ?? image.source.toUpperCase()} {image.bodyPartExamined ?? ''} {image.viewPosition ?? ''}
        </div>
        <div>{tagOf(file, TAG.seriesDescription)}</div>
        <div data-testid="overlay-position">
          Im {position + 1}/{total}
          {image.numberOfFrames > 1 ? ` · frame ${frame + 1}/${image.numberOfFrames}` : ''}
        </div>
        <div data-testid="overlay-size">
          {image.columns}×{image.rows} · {image.photometricInterpretation}
        </div>
      </div>
      <div className="corner bottom-left" data-testid="overlay-window">
        {window ? `W ${Math.round(window.width)} L ${Math.round(window.center)}` : ''}
        {scale !== undefined ? ` · Zoom ${Math.round(scale * 100)}%` : ''}
      </div>
      <div className="corner bottom-right">
        {image.pixelSpacing ? `${image.pixelSpacing[1].toFixed(3)} mm/px` : 'spacing unknown'}
      </div>
    </div>
  );
}
