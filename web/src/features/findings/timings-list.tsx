export interface Timings {
  decodeMs: number | undefined;
  preprocessMs: number | undefined;
  inferenceMs: number | undefined;
  heatmapMs: number | undefined;
}

function ms(v: number | undefined): string {
  return v === undefined ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
}

/** Where the time went for the image on screen. */
export function TimingsList({ timings, backend }: { timings: Timings; backend: string | undefined }) {
  return (
    <dl className="timings" data-testid="timings">
      <div>
        <dt>Decode</dt>
        <dd data-testid="timing-decode">{ms(timings.decodeMs)}</dd>
      </div>
      <div>
        <dt>Preprocess</dt>
        <dd data-testid="timing-preprocess">{ms(timings.preprocessMs)}</dd>
      </div>
      <div>
        <dt>Inference{backend ? ` (${backend})` : ''}</dt>
        <dd data-testid="timing-inference">{ms(timings.inferenceMs)}</dd>
      </div>
      <div>
        <dt>Heatmap</dt>
        <dd data-testid="timing-heatmap">{ms(timings.heatmapMs)}</dd>
      </div>
    </dl>
  );
}
