/**
 * `radlocal synth`: writes a phantom dataset — DICOM (or PNG) images under images/, and
 * labels.csv (`file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule`) plus
 * truth.jsonl (per-image ground-truth geometry: CTR, effusion sizes, pneumothorax rim,
 * nodule centres and diameters in pixels). Same options → byte-identical output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { greyFrame } from '../../../core/preprocess/grey-frame.ts';
import { PHANTOM_LABELS, type Prevalence } from './findings.ts';
import { generatePhantom, phantomDecodedImage, phantomDicom, planPatients, type PhantomImage } from './generate-phantom.ts';
import { renderMontage, type MontageItem } from './montage.ts';

export interface SynthOptions {
  out: string;
  count: number;
  seed: number;
  size: number;
  prevalence: Prevalence;
  png: boolean;
  preview: string | undefined;
  /** Number of images in the preview (default 12). */
  previewCount?: number;
  /** Called after each image (progress). */
  onImage?: (done: number, total: number) => void;
}

export interface SynthSummary {
  out: string;
  images: number;
  patients: number;
  positives: Record<string, number>;
  transferSyntaxes: Record<string, number>;
  seconds: number;
  imagesPerSecond: number;
}

/** 8-bit PNG of the windowed image (MONOCHROME2 appearance), as public PNG datasets ship. */
export function phantomPng(image: PhantomImage, size: number): Uint8Array {
  const grey = greyFrame(phantomDecodedImage(image, size), 0, { voi: 'file-then-percentile', percentileLow: 0.5, percentileHigh: 99.5 });
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((grey.data[i] as number) * 255);
  return encode({ width: size, height: size, data, channels: 1, depth: 8 });
}

export async function synthDataset(options: SynthOptions): Promise<SynthSummary> {
  const started = performance.now();
  const { out, count, seed, size } = options;
  mkdirSync(join(out, 'images'), { recursive: true });
  const patients = planPatients(count, seed, options.prevalence);
  const lines = [`file,patient_id,${PHANTOM_LABELS.join(',')}`];
  const truth: string[] = [];
  const positives: Record<string, number> = Object.fromEntries(PHANTOM_LABELS.map((l) => [l, 0]));
  const transferSyntaxes: Record<string, number> = {};
  const preview: MontageItem[] = [];
  const previewCount = options.previewCount ?? 12;
  let done = 0;
  for (const patient of patients) {
    for (let j = 0; j < patient.images; j++) {
      const image = generatePhantom(patient, j, seed, size);
      const name = `${patient.identity.patientId}_${j + 1}`;
      const file = `images/${name}.${options.png ? 'png' : 'dcm'}`;
      const bytes = options.png ? phantomPng(image, size) : await phantomDicom(patient, j, image, size);
      writeFileSync(join(out, file), bytes);
      const labels = PHANTOM_LABELS.map((l) => image.truth.labels[l]);
      lines.push(`${file},${patient.identity.patientId},${labels.join(',')}`);
      truth.push(JSON.stringify({ file, patientId: patient.identity.patientId, ...image.truth }));
      PHANTOM_LABELS.forEach((l, k) => (positives[l] = (positives[l] as number) + (labels[k] as number)));
      const ts = options.png ? 'png' : image.acquisition.transferSyntaxUID;
      transferSyntaxes[ts] = (transferSyntaxes[ts] ?? 0) + 1;
      if (options.preview && preview.length < previewCount) preview.push({ name, image, size });
      done++;
      options.onImage?.(done, count);
    }
  }
  writeFileSync(join(out, 'labels.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(out, 'truth.jsonl'), `${truth.join('\n')}\n`);
  if (options.preview) writeFileSync(options.preview, renderMontage(preview));
  const seconds = (performance.now() - started) / 1000;
  return { out, images: done, patients: patients.length, positives, transferSyntaxes, seconds, imagesPerSecond: done / seconds };
}
