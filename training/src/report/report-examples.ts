/** The report's example images: an evaluation example's model input grey, with each activation map blended over it. */
import type { EvaluationExample } from '../eval/evaluate-model.ts';
import { inputToGrey, overlayCam, pngDataUrl } from './image-encoding.ts';
import type { ReportExample } from './report-data.ts';

/** Overlay opacity: strong for a finding reported positive, faint otherwise. */
const POSITIVE_OPACITY = 0.65;
const NEGATIVE_OPACITY = 0.25;

export function reportExamples(examples: readonly EvaluationExample[]): ReportExample[] {
  return examples.map((e) => {
    const grey = inputToGrey(e.input.data, e.input.width, e.input.height, e.normalisation);
    const overlays: Record<string, string> = {};
    for (const [label, cam] of Object.entries(e.cams)) overlays[label] = pngDataUrl(overlayCam(grey, cam, e.positives.includes(label) ? POSITIVE_OPACITY : NEGATIVE_OPACITY));
    return { name: e.name, truth: e.truth, scores: e.scores, positives: e.positives, oodFlagged: e.oodFlagged, image: pngDataUrl(grey), overlays };
  });
}
