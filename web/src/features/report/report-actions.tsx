/** Export of the shown study: JSON report (no pixels, no patient identifiers) and print view. */
import packageJson from '../../../../package.json';
import { useStore } from '../../shared/store/create-store.ts';
import { Icon } from '../../shared/ui/icon.tsx';
import { findingKey, findingsStore } from '../../shared/findings/findings-store.ts';
import { modelStore } from '../../shared/findings/model-store.ts';
import { downloadJson } from '../../shared/download/download-json.ts';
import type { StudyGroup } from '../../shared/session/group-studies.ts';
import { buildReport, type ReportImageInput } from './build-report.ts';

export function ReportActions({ study }: { study: StudyGroup | undefined }) {
  const model = useStore(modelStore, (m) => m);
  const findings = useStore(findingsStore, (m) => m);
  const images: ReportImageInput[] = [];
  for (const file of study?.series.flatMap((s) => s.files) ?? []) {
    const prediction = findings.get(findingKey(file.id, 0))?.prediction;
    if (prediction && file.sha256) images.push({ fileSha256: file.sha256, frame: 0, modality: file.image?.modality, decodeMs: file.decodeMs, prediction });
  }
  const ready = model.state === 'ready' && images.length > 0;
  const exportJson = (): void => {
    if (model.state !== 'ready') return;
    const report = buildReport({
      appVersion: packageJson.version,
      generatedAt: new Date(),
      model: {
        name: model.card.name,
        version: model.card.version,
        sha256: model.modelSha256,
        backend: model.backend,
        synthetic: model.card.trainingData.synthetic,
        limitations: model.card.limitations,
      },
      images,
    });
    downloadJson(report, `radlocal-report-${images[0]?.fileSha256.slice(0, 12) ?? 'study'}.json`);
  };
  return (
    <div className="report-actions">
      <button type="button" className="button" disabled={!ready} onClick={exportJson} data-testid="export-report">
        <Icon name="download" size={16} /> JSON report
      </button>
      <button type="button" className="button" disabled={!ready} onClick={() => window.print()} data-testid="print-report">
        <Icon name="print" size={16} /> Print view
      </button>
    </div>
  );
}
