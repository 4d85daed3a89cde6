/**
 * `radlocal synth --out DIR --count N --seed S [--size 512] [--prevalence label=p,…] [--site NAME]
 * [--exposure F --contrast G --noise F --blur PX] [--png] [--preview FILE.png] [--json]`: writes a phantom chest-radiograph dataset (DICOM files and
 * labels.csv); see training/src/synth/synth-dataset.ts.
 */
import { RadLocalError } from '../../../../core/errors/radlocal-error.ts';
import type { AcquisitionShift } from '../../synth/acquisition.ts';
import { parsePrevalence } from '../../synth/findings.ts';
import { SITE_NAMES, sitePreset } from '../../synth/site-presets.ts';
import { synthDataset } from '../../synth/synth-dataset.ts';
import { integerOption, numberOption, parseCommandArgs } from '../cli-options.ts';

export const HELP = `Usage: radlocal synth --out DIR --count N --seed S [options]

Writes N procedurally generated frontal chest radiographs (real DICOM: CR/DX, MONOCHROME1/2,
10–16 bits, uncompressed / RLE / JPEG-LS / JPEG 2000) and labels.csv with the columns
file,patient_id,cardiomegaly,pleural_effusion,pneumothorax,nodule. Same seed → same bytes.

Options:
  --out DIR              output folder (created)
  --count N              number of images
  --seed S               integer seed
  --size PX              image size in pixels (default 512)
  --prevalence L=P,...   per-label prevalence, e.g. cardiomegaly=0.3,nodule=0.2
                         (defaults cardiomegaly=0.3,pleural_effusion=0.25,pneumothorax=0.2,nodule=0.25,
                         or the --site preset's)
  --site NAME            another hospital: an acquisition shift and its prevalences, to
                         validate and recalibrate a model on (${SITE_NAMES.join(', ')});
                         the flags below override the preset
  --exposure F           detector gain factor, window tags kept (default 1)
  --contrast G           tone curve exponent on attenuation, <1 flatter (default 1)
  --noise F              quantum noise factor (default 1)
  --blur PX              detector blur, Gaussian sigma in pixels at 512 px (default 0)
  --png                  write 8-bit PNG images instead of DICOM
  --preview FILE.png     also write a labelled montage of the first images
  --workers N            generate in N worker threads (default 0: in-process; workers
                         help only when cores are idle)
  --json                 print the summary as JSON
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      out: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      size: { type: 'string' },
      prevalence: { type: 'string' },
      site: { type: 'string' },
      exposure: { type: 'string' },
      contrast: { type: 'string' },
      noise: { type: 'string' },
      blur: { type: 'string' },
      png: { type: 'boolean', default: false },
      preview: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (!values.out) throw new RadLocalError('CLI_USAGE', `Expected --out DIR.\n\n${HELP}`);
  if (values.count === undefined || values.seed === undefined) throw new RadLocalError('CLI_USAGE', `Expected --count N and --seed S.\n\n${HELP}`);
  const count = integerOption('--count', values.count, 0, 0);
  const seed = integerOption('--seed', values.seed, 0, 0);
  const size = integerOption('--size', values.size, 512, 64);
  if (size > 4096) throw new RadLocalError('CLI_USAGE', `Expected --size between 64 and 4096, but got ${size}.`);
  const site = sitePreset(values.site);
  const positive = (name: string, value: string | undefined, fallback: number): number => {
    const n = numberOption(name, value, fallback, 0);
    if (n <= 0) throw new RadLocalError('CLI_USAGE', `Expected ${name} to be a number > 0, but got "${value}".`);
    return n;
  };
  const shift: AcquisitionShift = {
    exposure: positive('--exposure', values.exposure, site.shift.exposure),
    contrast: positive('--contrast', values.contrast, site.shift.contrast),
    noise: numberOption('--noise', values.noise, site.shift.noise, 0),
    blur: numberOption('--blur', values.blur, site.shift.blur, 0),
  };
  const summary = await synthDataset({
    out: values.out,
    count,
    seed,
    size,
    prevalence: parsePrevalence(values.prevalence, site.prevalence),
    shift,
    png: values.png,
    preview: values.preview,
    workers: integerOption('--workers', values.workers, 0, 0),
    onImage: values.json || !process.stderr.isTTY ? undefined : (done, total) => process.stderr.write(`\r${done}/${total}`),
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
  if (values.json) process.stdout.write(`${JSON.stringify({ ...summary, site: values.site ?? null, shift })}\n`);
  else {
    process.stdout.write(
      `Wrote ${summary.images} images of ${summary.patients} patients to ${summary.out} in ${summary.seconds.toFixed(1)} s ` +
        `(${summary.imagesPerSecond.toFixed(1)} images/s).\nPositives: ${Object.entries(summary.positives).map(([l, n]) => `${l} ${n}`).join(', ')}.\n`,
    );
  }
  return 0;
}
