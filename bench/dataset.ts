/**
 * `npm run bench -- dataset [--images 20000] [--size 64] [--rows 100000] [--cache-mb 64] [--workers N] [--keep DIR]`:
 * the dataset path at scale, in one run, printed as one JSON object:
 *   - index + split of a `--rows`-row manifest (CheXpert conventions, view column);
 *   - on a generated `--images`-image NIH ChestX-ray14-layout dataset (`--size`² 8-bit PNGs):
 *     the dataset check (index, every image decoded once: unreadable, duplicates, views) in
 *     images/s, then one streaming epoch through the batch loader with a `--cache-mb` budget
 *     (smaller than the dataset, so memory must stay bounded) in images/s;
 *   - peak resident memory of the process (decode workers are threads of it) after each phase.
 * The machine is shared: figures come with the load average and CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RadLocalError } from '../core/errors/radlocal-error.ts';
import { DEFAULT_PREPROCESS_PARAMS } from '../core/preprocess/params.ts';
import { createBatchLoader } from '../training/src/data/batch-loader.ts';
import { checkDataset } from '../training/src/data/check-dataset.ts';
import { openDataset } from '../training/src/data/open-dataset.ts';
import { writeScaleManifest, writeScaleNih } from '../test/fixtures/public-datasets.ts';

interface Options {
  images: number;
  size: number;
  rows: number;
  cacheMb: number;
  workers: number;
  keep: string | undefined;
}

function parseOptions(args: string[]): Options {
  const options: Options = { images: 20_000, size: 64, rows: 100_000, cacheMb: 64, workers: Math.max(1, availableParallelism() - 1), keep: undefined };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const number = (): number => {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1) throw new RadLocalError('CLI_USAGE', `Expected a positive integer after ${flag}, but got "${args[i]}".`);
      return value;
    };
    if (flag === '--images') options.images = number();
    else if (flag === '--size') options.size = number();
    else if (flag === '--rows') options.rows = number();
    else if (flag === '--cache-mb') options.cacheMb = number();
    else if (flag === '--workers') options.workers = number();
    else if (flag === '--keep') options.keep = args[++i];
    else throw new RadLocalError('CLI_USAGE', `Unknown option "${flag}" for bench dataset.`);
  }
  return options;
}

const mib = (bytes: number) => Math.round(bytes / 1048576);
const peakMib = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const root = o.keep ?? mkdtempSync(join(tmpdir(), 'radlocal-bench-dataset-'));
  const load = [loadavg()[0]];
  const cpu0 = process.cpuUsage();
  try {
    // 1. Index + split at scale (the files exist; paths cycle over 1,000 of them).
    const manifestDir = join(root, 'manifest');
    writeScaleManifest(manifestDir, o.rows);
    let t = performance.now();
    const big = openDataset(manifestDir, { seed: 1, labels: ['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule', 'edema'] });
    const indexSeconds = (performance.now() - t) / 1000;
    const afterIndex = peakMib();

    // 2. A generated image dataset: check (decode every image once), then a streaming epoch.
    t = performance.now();
    const dir = writeScaleNih(join(root, 'images'), o.images, o.size);
    const generateSeconds = (performance.now() - t) / 1000;
    const params = { ...DEFAULT_PREPROCESS_PARAMS, height: o.size, width: o.size };
    const cacheBytes = o.cacheMb * 1048576;
    const keepAlive = setInterval(() => undefined, 60_000);
    const loader = createBatchLoader({ params, workers: o.workers, cacheBytes, skipBad: true });
    try {
      t = performance.now();
      const { dataset, check } = await checkDataset(dir, { seed: 1, scan: { params, loader } });
      const checkSeconds = (performance.now() - t) / 1000;
      const afterCheck = peakMib();
      load.push(loadavg()[0]);

      const train = dataset.splits.train;
      t = performance.now();
      let seen = 0;
      let maxCache = 0;
      for await (const batch of loader.batches(train, 32, { shuffleSeed: 7 })) {
        seen += batch.size;
        maxCache = Math.max(maxCache, loader.stats().cacheBytes);
      }
      const epochSeconds = (performance.now() - t) / 1000;
      load.push(loadavg()[0]);
      const cpu = process.cpuUsage(cpu0);
      process.stdout.write(
        `${JSON.stringify({
          index: { rows: o.rows, eligible: big.summary.examples, patients: big.summary.patients, seconds: +indexSeconds.toFixed(2), rowsPerSecond: Math.round(o.rows / indexSeconds), peakRssMiB: afterIndex },
          images: {
            count: o.images,
            size: `${o.size}×${o.size} 8-bit PNG (NIH ChestX-ray14 layout)`,
            generateSeconds: +generateSeconds.toFixed(1),
            check: {
              seconds: +checkSeconds.toFixed(1),
              imagesPerSecond: Math.round(o.images / checkSeconds),
              eligible: check.summary.examples,
              leftOut: check.summary.eligibility.excluded,
              unreadable: check.unreadable.count,
              duplicateSets: check.duplicates.groups,
              problems: check.problems.length,
              peakRssMiB: afterCheck,
            },
            epoch: {
              images: seen,
              seconds: +epochSeconds.toFixed(1),
              imagesPerSecond: Math.round(seen / epochSeconds),
              cacheBudgetMiB: o.cacheMb,
              cacheMaxMiB: mib(maxCache),
              datasetInputsMiB: mib(seen * o.size * o.size * 4),
              peakRssMiB: peakMib(),
            },
          },
          workers: o.workers,
          cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
          loadAverage1m: load.map((l) => +(l ?? 0).toFixed(2)),
          cores: availableParallelism(),
        })}\n`,
      );
    } finally {
      clearInterval(keepAlive);
      await loader.close();
    }
  } finally {
    if (!o.keep) rmSync(root, { recursive: true, force: true });
  }
}
