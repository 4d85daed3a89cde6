/**
 * What the model's heatmap is, from its card (core/model/graph-spec.ts CamKind), shown under
 * the findings so a map is never read as more than it is: a per-finding class activation map,
 * a class-agnostic response map (the same for every finding), or none.
 */
import type { CamKind } from '../../../../core/model/graph-spec.ts';

const TEXT: Record<CamKind, string> = {
  'class-activation': "Heatmap: class activation map of the chosen finding (exact for this model's head).",
  'feature-energy':
    "Heatmap: where the network responds — the same map for every finding. This model's head does not allow a per-finding map.",
  none: 'No heatmap for this model (its model card says why).',
};

export function HeatmapKind({ kind }: { kind: CamKind }) {
  return (
    <p className="muted small panel-pad" data-testid="heatmap-kind" data-kind={kind}>
      {TEXT[kind]}
    </p>
  );
}
