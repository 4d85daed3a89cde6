/**
 * Worker thread body for `radlocal synth`: generates the images it is asked for and returns
 * their file bytes and ground truth. Every image depends only on (seed, patient, image), so
 * any split of the work over workers gives byte-identical files.
 */
import { parentPort } from 'node:worker_threads';
import { toSerializedError } from '../../../core/errors/radlocal-error.ts';
import type { AcquisitionShift } from './acquisition.ts';
import type { Prevalence } from './findings.ts';
import { generatePhantom, phantomDicom, planPatients, type PhantomPatient, type PhantomTruth } from './generate-phantom.ts';
import { phantomPng } from './phantom-png.ts';

export interface SynthJob {
  id: number;
  seed: number;
  count: number;
  size: number;
  prevalence: Prevalence;
  /** The site's acquisition shift; absent = none. */
  shift?: AcquisitionShift;
  png: boolean;
  patientIndex: number;
  imageIndex: number;
}

export type SynthJobResult =
  | { id: number; ok: true; bytes: Uint8Array; truth: PhantomTruth; transferSyntax: string }
  | { id: number; ok: false; error: { code: string; message: string } };

let cachedKey = '';
let cachedPatients: PhantomPatient[] = [];

export async function runSynthJob(job: SynthJob): Promise<SynthJobResult> {
  const key = JSON.stringify([job.seed, job.count, job.prevalence]);
  if (key !== cachedKey) {
    cachedPatients = planPatients(job.count, job.seed, job.prevalence);
    cachedKey = key;
  }
  const patient = cachedPatients[job.patientIndex] as PhantomPatient;
  const image = generatePhantom(patient, job.imageIndex, job.seed, job.size, job.shift);
  const bytes = job.png ? phantomPng(image) : await phantomDicom(patient, job.imageIndex, image);
  return { id: job.id, ok: true, bytes, truth: image.truth, transferSyntax: job.png ? 'png' : image.acquisition.transferSyntaxUID };
}

const port = parentPort;
if (port) {
  port.on('message', (job: SynthJob) => {
    runSynthJob(job).then(
      (result) => port.postMessage(result, result.ok ? [result.bytes.buffer as ArrayBuffer] : []),
      (error: unknown) => port.postMessage({ id: job.id, ok: false, error: toSerializedError(error) } satisfies SynthJobResult),
    );
  });
}
