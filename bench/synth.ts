/**
 * `npm run bench -- synth [--count N] [--size PX]`: phantom generation throughput, in-process
 * vs worker threads side by side in one run, written to a temporary folder. Prints JSON:
 * images/s (wall), CPU ms per image, transfer-syntax mix, and the worker/in-process ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PREVALENCE } from '../training/src/synth/findings.ts';
import { synthDataset } from '../training/src/synth/synth-dataset.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { count: { type: 'string', default: '100' }, size: { type: 'string', default: '512' } } });
  const count = Number(values.count);
  const size = Number(values.size);
  const variants: Record<string, unknown> = {};
  for (const workers of [0, Math.min(4, availableParallelism())]) {
    const dir = mkdtempSync(join(tmpdir(), 'radlocal-bench-synth-'));
    const cpu0 = process.cpuUsage();
    try {
      const s = await synthDataset({ out: dir, count, seed: 1, size, prevalence: DEFAULT_PREVALENCE, png: false, preview: undefined, workers });
      const cpu = process.cpuUsage(cpu0);
      variants[workers === 0 ? 'inProcess' : `workers${workers}`] = {
        imagesPerSecond: Number(s.imagesPerSecond.toFixed(2)),
        seconds: Number(s.seconds.toFixed(2)),
        // process.cpuUsage counts every thread of the process, workers included.
        cpuMsPerImage: Number(((cpu.user + cpu.system) / 1000 / count).toFixed(1)),
        // What the CPU time allows on idle cores (this machine is shared: wall time depends on load).
        cpuBoundImagesPerSecond: Number(((1000 / ((cpu.user + cpu.system) / 1000 / count)) * Math.max(1, Math.min(workers, availableParallelism()))).toFixed(1)),
        transferSyntaxes: s.transferSyntaxes,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ips = (k: string) => (variants[k] as { imagesPerSecond: number } | undefined)?.imagesPerSecond ?? 0;
  const workerKey = Object.keys(variants).find((k) => k.startsWith('workers')) ?? '';
  process.stdout.write(
    `${JSON.stringify({ bench: 'synth', count, size, cores: availableParallelism(), loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)), ...variants, workerSpeedup: Number((ips(workerKey) / ips('inProcess')).toFixed(2)) }, null, 2)}\n`,
  );
}
