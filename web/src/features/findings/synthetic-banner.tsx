import { DEFAULT_LIMITATIONS } from '../../../../core/model/limitations.ts';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { modelStore } from '../../shared/findings/model-store.ts';

/** Always visible while a model trained on synthetic data is loaded (from its card). */
export function SyntheticBanner() {
  const model = useStore(modelStore, (m) => m);
  if (model.state !== 'ready' || !model.card.trainingData.synthetic) return null;
  const others = model.card.limitations.filter((l) => l !== DEFAULT_LIMITATIONS);
  return (
    <div className="banner" role="note" data-testid="synthetic-banner">
      <Icon name="warning" size={16} />
      <span>{DEFAULT_LIMITATIONS}</span>
      <span className="muted">
        {model.card.name} was trained on {model.card.trainingData.source}. {others[0] ?? ''}
      </span>
    </div>
  );
}
