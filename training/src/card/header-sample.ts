/**
 * The DICOM header values a model has seen (modality, body part, photometric interpretation),
 * for the card's OOD header checks: from headers already read, or from a sample of files.
 */
import { readFile } from 'node:fs/promises';
import type { ModelCard } from '../../../core/model/model-card.ts';
import { oodHeaderOf, type OodHeader } from '../../../core/model/ood.ts';
import { projectDecoder } from '../data/decode-example.ts';
import type { ExampleRef } from '../data/dataset-types.ts';

/** Files a header sample reads at most. */
export const HEADER_SAMPLE_SIZE = 64;

/** Distinct values (trimmed, upper case, blanks left out) of the DICOM headers among `headers`. */
export function expectedHeaders(headers: Iterable<OodHeader | undefined>): ModelCard['ood']['expected'] {
  const modalities = new Set<string>();
  const bodyParts = new Set<string>();
  const photometric = new Set<string>();
  for (const header of headers) {
    if (header?.source !== 'dicom') continue;
    if (header.modality?.trim()) modalities.add(header.modality.trim().toUpperCase());
    if (header.bodyPartExamined?.trim()) bodyParts.add(header.bodyPartExamined.trim().toUpperCase());
    photometric.add(header.photometricInterpretation);
  }
  return { modalities: [...modalities].sort(), bodyParts: [...bodyParts].sort(), photometric: [...photometric].sort() };
}

/** Headers of the first `sample` readable files (unreadable ones are the batch loader's to report). */
export async function sampleHeaders(refs: readonly ExampleRef[], sample = HEADER_SAMPLE_SIZE): Promise<OodHeader[]> {
  const decode = await projectDecoder();
  const headers: OodHeader[] = [];
  for (const ref of refs.slice(0, sample)) {
    try {
      const image = await decode(new Uint8Array(await readFile(ref.path)));
      headers.push(oodHeaderOf(image));
    } catch {
      // unreadable files are reported by the batch loader; a header sample can skip them
    }
  }
  return headers;
}
