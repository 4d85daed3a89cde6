/**
 * The findings of the image on screen as a DICOM SR (core/sr, TID 1500 — the same document
 * `radlocal predict --sr` writes): "DICOM SR" downloads it (no network), "Send to PACS" stores
 * it over STOW-RS through RadLocal's server — shown only when the server allows storing.
 * The SR writer is loaded on first use.
 *
 * Test ids: export-sr, send-sr, sr-status (data-state, data-sop-instance-uid, data-code).
 */
import { useState } from 'react';
import type { SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import type { SrPrediction } from '../../../../core/sr/prediction-sr.ts';
import type { ImageHeader } from '../../shared/session/opened-file.ts';
import { downloadBlob } from '../../shared/download/download-json.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { storeInstances } from './pacs-client.ts';
import { pacsStore } from './pacs-store.ts';

export interface SrActionsProps {
  image: ImageHeader | undefined;
  prediction: SrPrediction | undefined;
  model: { name: string; version: string } | null;
}

type SrState = { state: 'idle' } | { state: 'working' } | { state: 'saved' | 'stored'; sopInstanceUID: string } | { state: 'error'; error: SerializedError };

async function makeSr(props: SrActionsProps): Promise<{ sopInstanceUID: string; bytes: Uint8Array }> {
  const { predictionSr } = await import('../../../../core/sr/prediction-sr.ts');
  if (!props.image || !props.prediction || !props.model) throw new Error('no prediction yet');
  return predictionSr(props.image, props.prediction, { model: props.model, now: new Date() });
}

export function SrActions(props: SrActionsProps) {
  const stow = useStore(pacsStore, (s) => s.status.stow);
  const [status, setStatus] = useState<SrState>({ state: 'idle' });
  const ready = props.image?.source === 'dicom' && props.prediction !== undefined && props.model !== null && status.state !== 'working';

  const run = async (send: boolean): Promise<void> => {
    setStatus({ state: 'working' });
    try {
      const sr = await makeSr(props);
      if (send) await storeInstances([sr.bytes]);
      else downloadBlob(new Blob([sr.bytes as Uint8Array<ArrayBuffer>], { type: 'application/dicom' }), `radlocal-sr-${sr.sopInstanceUID}.dcm`);
      setStatus({ state: send ? 'stored' : 'saved', sopInstanceUID: sr.sopInstanceUID });
    } catch (error) {
      setStatus({ state: 'error', error: toSerializedError(error) });
    }
  };

  return (
    <div className="report-actions sr-actions">
      <button type="button" className="button" disabled={!ready} onClick={() => void run(false)} data-testid="export-sr" title="Download the findings as a DICOM structured report">
        <Icon name="download" size={16} /> DICOM SR
      </button>
      {stow && (
        <button type="button" className="button" disabled={!ready} onClick={() => void run(true)} data-testid="send-sr" title="Store the findings in the PACS as a DICOM structured report">
          Send to PACS
        </button>
      )}
      {status.state !== 'idle' && (
        <p
          className="pacs-meta"
          data-testid="sr-status"
          data-state={status.state}
          data-sop-instance-uid={'sopInstanceUID' in status ? status.sopInstanceUID : undefined}
          data-code={status.state === 'error' ? status.error.code : undefined}
        >
          {status.state === 'working' && 'Writing the structured report…'}
          {status.state === 'saved' && 'Structured report saved.'}
          {status.state === 'stored' && 'Structured report stored in the PACS.'}
          {status.state === 'error' && status.error.message}
        </p>
      )}
    </div>
  );
}
