import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { modelStore } from '../../shared/findings/model-store.ts';

/** Top-bar summary: model, verified hash and the backend in use. */
export function ModelBadge() {
  const model = useStore(modelStore, (m) => m);
  if (model.state === 'loading') {
    return (
      <div className="model-badge muted" data-testid="model-status" data-state="loading">
        Loading model…
      </div>
    );
  }
  if (model.state === 'error') {
    return (
      <div className="model-badge model-badge-error" title={model.error.message} data-testid="model-status" data-state="error" data-code={model.error.code}>
        <Icon name="warning" size={16} /> Model unavailable · <code>{model.error.code}</code>
      </div>
    );
  }
  // A backend adopted without a blank warm-up (an image was waiting) is timed by its predictions from the second on.
  const trials = model.trials.map((t) => `${t.backend}: ${t.warmMs !== undefined ? `${t.warmMs.toFixed(1)} ms` : t.error !== undefined ? `failed (${t.error})` : 'not timed yet'}`).join(' · ');
  return (
    <div className="model-badge" data-testid="model-status" data-state="ready">
      <Icon name="shield" size={16} />
      <span>
        <strong>{model.card.name}</strong> {model.card.version}
      </span>
      <span className="muted" title={`sha256 ${model.modelSha256} — every model file matched the card`}>
        sha256 {model.modelSha256.slice(0, 10)}… verified
      </span>
      <span className="backend-chip" data-testid="backend" data-backend={model.backend} title={`Warm inference per backend — ${trials}`}>
        {model.backend.toUpperCase()}
      </span>
    </div>
  );
}
