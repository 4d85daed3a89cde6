import type { OodResult } from '../../../../core/model/ood.ts';
import { Icon } from '../../shared/ui/icon.tsx';

/** The out-of-distribution verdict with its reasons (data-flagged and the full-precision score in data-distance, for tests and tools). */
export function OodStatus({ ood }: { ood: OodResult }) {
  return (
    <div className={`ood ${ood.flagged ? 'ood-flagged' : 'ood-ok'}`} data-testid="ood-status" data-flagged={String(ood.flagged)} data-distance={String(ood.distance)}>
      <div className="ood-head">
        <Icon name={ood.flagged ? 'warning' : 'shield'} size={16} />
        <strong>{ood.flagged ? 'Out of distribution — scores not reliable' : 'Within the training distribution'}</strong>
      </div>
      <div className="muted small">
        OOD score {ood.distance.toFixed(2)} (limit {ood.threshold.toFixed(2)}): texture, structures, anatomy and layout compared with the training images
      </div>
      {ood.reasons.length > 0 && (
        <ul className="ood-reasons">
          {ood.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
