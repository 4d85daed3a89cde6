/**
 * `radlocal synth`: writes a phantom dataset — DICOM (or PNG) images under images/, and
 * labels.csv (`file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule`) plus
 * truth.jsonl (per-image ground-truth geometry: CTR, effusion sizes, pneumothorax rim,
 * nodule centres and diameters in pixels). Images are generated in worker threads; every
 * image depends only on (seed, patient, image), so the output is byte-identical for the
 * same options whatever the number of workers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import type { AcquisitionShift } from './acquisition.ts';
import { PHANTOM_LABELS, type Prevalence } from './findings.ts';
import { generatePhantom, planPatients } from './generate-phantom.ts';
import { renderMontage, type MontageItem } from './montage.ts';
import { runSynthJob, type SynthJob, type SynthJobResult } from './synth-worker.ts';

export interface SynthOptions {
  out: string;
  count: number;
  seed: number;
  size: number;
  prevalence: Prevalence;
  /** Acquisition shift of a synthetic other site (site-presets.ts); absent = none. */
  shift?: AcquisitionShift;
  png: boolean;
  preview: string | undefined;
  /** Number of images in the preview (default 12). */
  previewCount?: number;
  /**
   * Worker threads; 0 (default) generates on the calling thread. On this shared 2-core machine
   * in-process was faster (bench/synth.ts: 20.6 vs 17.3 images/s for 300 images at load 8);
   * workers pay ~1 s of TypeScript start-up each and help only when cores are idle.
   */
  workers?: number;
  /** Called after each image (progress). */
  onImage?: (done: number, total: number) => void;
}

export interface SynthSummary {
  out: string;
  images: number;
  patients: number;
  positives: Record<string, number>;
  transferSyntaxes: Record<string, number>;
  workers: number;
  seconds: number;
  imagesPerSecond: number;
}

type Runner = { run(job: SynthJob): Promise<SynthJobResult>; close(): Promise<void> };

function workerRunner(size: number): Runner {
  const url = new URL('./synth-worker-bootstrap.mjs', import.meta.url);
  const pending = new Map<number, (r: SynthJobResult) => void>();
  let broken: string | undefined;
  const workers = Array.from({ length: size }, () => {
    const w = new Worker(url);
    w.on('message', (r: SynthJobResult) => {
      pending.get(r.id)?.(r);
      pending.delete(r.id);
    });
    w.on('error', (error) => {
      broken = `A synth worker crashed: ${error.message}`;
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: { code: 'INTERNAL', message: broken } });
      pending.clear();
    });
    return w;
  });
  let next = 0;
  return {
    run: (job) =>
      new Promise((resolve) => {
        if (broken) {
          resolve({ id: job.id, ok: false, error: { code: 'INTERNAL', message: broken } });
          return;
        }
        pending.set(job.id, resolve);
        (workers[next++ % workers.length] as Worker).postMessage(job);
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export async function synthDataset(options: SynthOptions): Promise<SynthSummary> {
  const started = performance.now();
  const { out, count, seed, size } = options;
  mkdirSync(join(out, 'images'), { recursive: true });
  const patients = planPatients(count, seed, options.prevalence);
  const jobs: SynthJob[] = [];
  for (const patient of patients) {
    for (let j = 0; j < patient.images; j++) {
      jobs.push({ id: jobs.length, seed, count, size, prevalence: options.prevalence, ...(options.shift ? { shift: options.shift } : {}), png: options.png, patientIndex: patient.index, imageIndex: j });
    }
  }
  const workers = Math.min(options.workers ?? 0, jobs.length);
  const runner: Runner = workers > 0 ? workerRunner(workers) : { run: runSynthJob, close: async () => undefined };
  const results: SynthJobResult[] = new Array(jobs.length);
  let done = 0;
  try {
    // At most two jobs in flight per worker.
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (cursor < jobs.length) {
        const job = jobs[cursor++] as SynthJob;
        const result = await runner.run(job);
        if (!result.ok) throw new RadLocalError('INTERNAL', `Could not generate phantom ${job.id + 1}: ${result.error.message}`);
        const patient = patients[job.patientIndex];
        const file = `images/${patient?.identity.patientId}_${job.imageIndex + 1}.${options.png ? 'png' : 'dcm'}`;
        writeFileSync(join(out, file), result.bytes);
        results[job.id] = result;
        options.onImage?.(++done, jobs.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, workers * 2) }, lane));
  } finally {
    await runner.close();
  }

  const lines = [`file,patient_id,${PHANTOM_LABELS.join(',')}`];
  const truth: string[] = [];
  const positives: Record<string, number> = Object.fromEntries(PHANTOM_LABELS.map((l) => [l, 0]));
  const transferSyntaxes: Record<string, number> = {};
  jobs.forEach((job, i) => {
    const result = results[i] as SynthJobResult & { ok: true };
    const patientId = patients[job.patientIndex]?.identity.patientId as string;
    const file = `images/${patientId}_${job.imageIndex + 1}.${options.png ? 'png' : 'dcm'}`;
    const labels = PHANTOM_LABELS.map((l) => result.truth.labels[l]);
    lines.push(`${file},${patientId},${labels.join(',')}`);
    truth.push(JSON.stringify({ file, patientId, ...result.truth }));
    PHANTOM_LABELS.forEach((l, k) => (positives[l] = (positives[l] as number) + (labels[k] as number)));
    transferSyntaxes[result.transferSyntax] = (transferSyntaxes[result.transferSyntax] ?? 0) + 1;
  });
  writeFileSync(join(out, 'labels.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(out, 'truth.jsonl'), `${truth.join('\n')}\n`);
  if (options.preview) {
    const items: MontageItem[] = jobs.slice(0, options.previewCount ?? 12).map((job) => {
      const patient = patients[job.patientIndex] as (typeof patients)[number];
      return { name: `P${patient.index + 1}/${job.imageIndex + 1}`, image: generatePhantom(patient, job.imageIndex, seed, size, options.shift) };
    });
    writeFileSync(options.preview, renderMontage(items));
  }
  const seconds = (performance.now() - started) / 1000;
  return { out, images: jobs.length, patients: patients.length, positives, transferSyntaxes, workers, seconds, imagesPerSecond: jobs.length / seconds };
}
