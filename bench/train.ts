/**
 * `npm run bench -- train [--size 128] [--batch 32] [--ghost G] [--workers N] [--steps 6]
 * [--warmup 1] [--block 4] [--cpu-steps 1] [--no-cpu] [--profile] [--width W --stages A,B,…]`: training
 * throughput of the classifier (default architecture unless --width/--stages, as `radlocal
 * train` takes them), side by side in one run: one thread (RadLocal-WASM, as `radlocal train --workers 1`) and N replica
 * worker threads (`--workers N`, default one per core), their speed-up, GFLOP/s per worker and
 * its share of the WASM matMul ceiling measured in the same process, and the tfjs CPU backend
 * (one step) for the ratio. Steps are taken the way `radlocal train` takes them: the batch split
 * into ghost batches (default as in training), averaged in order, one Adam update — so every
 * variant starts from the same seeded weights and their `firstLoss` must agree. One-thread and
 * N-worker steps alternate, so load changes on this shared machine hit both alike; wall times
 * come with the load average and process CPU time (all threads) per step. Each side first takes
 * `--warmup` untimed steps (default 1): every worker is a fresh V8 isolate whose JIT keeps
 * optimising tfjs's JavaScript for tens of steps, on helper threads that compete with the
 * workers for the cores (the one-thread run's JIT uses the idle core), so the default window
 * includes that start-up and a larger --warmup shows the steady state of a long training run.
 * Then the same number of steps again in blocks: `--block` consecutive steps of one trainer, then
 * of the other, the first step of each block untimed — as training runs, one trainer at a time:
 * alternating single steps also times what one trainer leaves behind for the other (caches
 * filled with the other's data, its collector's and compiler's background work), which
 * `radlocal train` never has (`speedupInBlocks`).
 * `--profile` adds the per-kernel milliseconds of one one-thread step.
 */
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createClassifier, resolveClassifierOptions } from '../training/src/model/create-model.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { Replica, splitBatch } from '../training/src/train/parallel/replica.ts';
import { createReplicaPool, type ReplicaPool } from '../training/src/train/parallel/replica-pool.ts';
import { ghostBatchSize } from '../training/src/train/parallel/worker-count.ts';
import { RadLocalError } from '../core/errors/radlocal-error.ts';
import { seededRandom } from '../core/random/seeded-random.ts';

const LABELS = ['a', 'b', 'c', 'd'];
const LEARNING_RATE = 1e-3;

interface Options {
  size: number;
  batch: number;
  ghost: number | undefined;
  workers: number;
  steps: number;
  warmup: number;
  block: number;
  cpuSteps: number;
  cpu: boolean;
  profile: boolean;
  width?: number;
  stages?: number[];
}

function parseOptions(args: string[]): Options {
  const options: Options = { size: 128, batch: 32, ghost: undefined, workers: Math.max(2, availableParallelism()), steps: 6, warmup: 1, block: 4, cpuSteps: 1, cpu: true, profile: false };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const number = (): number => {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1) {
        throw new RadLocalError('CLI_USAGE', `Expected a positive integer after ${flag}, but got "${args[i]}".`);
      }
      return value;
    };
    if (flag === '--size') options.size = number();
    else if (flag === '--batch') options.batch = number();
    else if (flag === '--ghost') options.ghost = number();
    else if (flag === '--workers') options.workers = number();
    else if (flag === '--block') {
      options.block = number();
      // The first step of a block is untimed: a block of one would time nothing, for ever.
      if (options.block < 2) throw new RadLocalError('CLI_USAGE', `Expected --block 2 or more (its first step is untimed), but got ${options.block}.`);
    }
    else if (flag === '--steps') options.steps = number();
    else if (flag === '--warmup') options.warmup = number();
    else if (flag === '--cpu-steps') options.cpuSteps = number();
    else if (flag === '--no-cpu') options.cpu = false;
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--width') options.width = number();
    else if (flag === '--stages') options.stages = (args[++i] ?? '').split(',').map(Number);
    else throw new RadLocalError('CLI_USAGE', `Unknown option "${flag}" for bench train.`);
  }
  return options;
}
/** Seeded uniform values in [0, 1) (mulberry32): the same batch bytes on every backend. */
function seeded(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => random());
}

interface Batch {
  x: Float32Array;
  y: Float32Array;
  size: number;
}

function makeBatches(count: number, batch: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, i) => ({
    x: seeded(batch * size * size, 1000 + i),
    y: seeded(batch * LABELS.length, 2000 + i).map((v) => (v < 0.3 ? 1 : 0)),
    size: batch,
  }));
}

/**
 * Multiply-accumulates of one forward pass per image, and of the input gradients that
 * training does not need (layers fed by the image itself).
 */
function countMacs(model: tf.LayersModel): { forward: number; skippedInputGrad: number } {
  let forward = 0;
  let skippedInputGrad = 0;
  const inputName = model.inputs[0]?.name;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'Conv2D' || className === 'Dense') {
      const out = layer.outputShape as number[];
      const kernel = layer.getWeights()[0]?.shape ?? [];
      const macsPerOutput = kernel.slice(0, -1).reduce((a, b) => a * b, 1);
      const outputs = out.slice(1).reduce((a, b) => a * b, 1);
      const macs = outputs * macsPerOutput;
      forward += macs;
      const inbound = layer.inboundNodes[0]?.inputTensors[0]?.name;
      if (inbound !== undefined && inbound === inputName) skippedInputGrad += macs;
    }
  }
  return { forward, skippedInputGrad };
}

let architecture: { width?: number; stageMultipliers?: number[] } = {};
const modelOptions = (size: number) => resolveClassifierOptions({ inputSize: size, labels: LABELS, seed: 7, ...architecture });

function buildReplica(size: number): Replica {
  return new Replica(createClassifier(modelOptions(size)), tf.train.adam(LEARNING_RATE) as tf.AdamOptimizer, new Float32Array(LABELS.length).fill(1), size);
}

function disposeReplica(replica: Replica): void {
  replica.model.dispose();
  replica.optimizer.dispose();
  replica.dispose();
}

interface Timed {
  stepMs: number[];
  /** Process CPU time per step (user + system, every thread): less sensitive than wall time to other load. */
  stepCpuMs: number[];
}

async function timed(run: () => Promise<number> | number, into: Timed): Promise<number> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const loss = await run();
  const cpu = process.cpuUsage(cpuStart);
  into.stepMs.push(performance.now() - start);
  into.stepCpuMs.push((cpu.user + cpu.system) / 1000);
  return loss;
}

interface Run extends Timed {
  workers: number;
  imagesPerSecond: number;
  imagesPerCpuSecond: number;
  firstLoss: number;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function summarise(workers: number, t: Timed, firstLoss: number, batch: number): Run {
  return {
    workers,
    stepMs: t.stepMs.map((ms) => Math.round(ms)),
    stepCpuMs: t.stepCpuMs.map((ms) => Math.round(ms)),
    imagesPerSecond: (batch * 1000) / median(t.stepMs),
    imagesPerCpuSecond: (batch * 1000) / median(t.stepCpuMs),
    firstLoss,
  };
}

/** The one-thread and the N-worker trainer, stepped alternately on the same batches. */
async function runWasm(
  batches: Batch[],
  micro: number,
  options: Options,
): Promise<{ single: Run; parallel: Run; singleInBlocks: Run; parallelInBlocks: Run; profile?: { kernel: string; ms: number }[] }> {
  const single = buildReplica(options.size);
  const main = buildReplica(options.size);
  let pool: ReplicaPool | undefined;
  try {
    pool = await createReplicaPool({ workers: options.workers, microBatches: micro, model: modelOptions(options.size), learningRate: LEARNING_RATE, positiveWeights: new Float32Array(LABELS.length).fill(1), replica: main });
    const split = (i: number) => splitBatch(batches[i % batches.length]!, micro);
    // warm-up (the first step compiles and allocates): the first loss is the check that both agree
    const firstSingle = single.step(split(0), LEARNING_RATE);
    const firstParallel = await pool.step(split(0), LEARNING_RATE);
    for (let i = 1; i < options.warmup; i++) {
      single.step(split(i), LEARNING_RATE);
      await pool.step(split(i), LEARNING_RATE);
    }
    const t1: Timed = { stepMs: [], stepCpuMs: [] };
    const tn: Timed = { stepMs: [], stepCpuMs: [] };
    for (let i = options.warmup; i < options.warmup + options.steps; i++) {
      await timed(() => single.step(split(i), LEARNING_RATE), t1);
      await timed(() => pool!.step(split(i), LEARNING_RATE), tn);
    }
    // In blocks: `block` steps of one trainer, then of the other; the first of each untimed.
    const b1: Timed = { stepMs: [], stepCpuMs: [] };
    const bn: Timed = { stepMs: [], stepCpuMs: [] };
    let next = options.warmup + options.steps;
    const block = async (step: (b: ReturnType<typeof split>) => Promise<number> | number, into: Timed): Promise<void> => {
      await step(split(next++));
      for (let k = 1; k < options.block; k++) await timed(() => step(split(next++)), into);
    };
    while (b1.stepMs.length < options.steps) {
      await block((b) => single.step(b, LEARNING_RATE), b1);
      await block((b) => pool!.step(b, LEARNING_RATE), bn);
    }
    let profile: { kernel: string; ms: number }[] | undefined;
    if (options.profile) {
      const info = await tf.profile(() => single.step(split(1), LEARNING_RATE));
      const byKernel = new Map<string, number>();
      for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
      profile = [...byKernel.entries()]
        .map(([kernel, ms]) => ({ kernel, ms: Math.round(ms * 10) / 10 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 15);
    }
    return {
      single: summarise(1, t1, firstSingle, options.batch),
      parallel: summarise(options.workers, tn, firstParallel, options.batch),
      singleInBlocks: summarise(1, b1, firstSingle, options.batch),
      parallelInBlocks: summarise(options.workers, bn, firstParallel, options.batch),
      ...(profile ? { profile } : {}),
    };
  } finally {
    await pool?.close();
    disposeReplica(single);
    disposeReplica(main);
  }
}

/**
 * One thread on the tfjs CPU backend: `cpuSteps` timed steps, the first included (the
 * JavaScript backend compiles nothing, and one step at 128²/32 takes minutes on a loaded machine).
 */
async function runCpu(batches: Batch[], micro: number, options: Options): Promise<Run & { reason: string }> {
  const selection = await selectBackend('cpu');
  const replica = buildReplica(options.size);
  try {
    const t: Timed = { stepMs: [], stepCpuMs: [] };
    const firstLoss = await timed(() => replica.step(splitBatch(batches[0]!, micro), LEARNING_RATE), t);
    for (let i = 1; i < options.cpuSteps; i++) await timed(() => replica.step(splitBatch(batches[i % batches.length]!, micro), LEARNING_RATE), t);
    return { ...summarise(1, t, firstLoss, options.batch), reason: selection.reason };
  } finally {
    disposeReplica(replica);
  }
}

/** GFLOP/s of a 1024² float32 matMul on the active backend (median of 5 after a warm-up). */
function matMulGflops(n = 1024): number {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(performance.now() - start);
    c.dispose();
  }
  tf.dispose([a, b]);
  const median = times.slice(1).sort((x, y) => x - y)[2]!;
  return (2 * n ** 3) / (median * 1e6);
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

function roundRun<T extends Run>(r: T): T {
  return { ...r, imagesPerSecond: round(r.imagesPerSecond), imagesPerCpuSecond: round(r.imagesPerCpuSecond), firstLoss: round(r.firstLoss, 6) };
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  architecture = { ...(options.width !== undefined ? { width: options.width } : {}), ...(options.stages ? { stageMultipliers: options.stages } : {}) };
  const ghost = ghostBatchSize(options.batch, options.ghost);
  const micro = options.batch / ghost;
  if (options.workers > micro) {
    throw new RadLocalError('CLI_USAGE', `Expected at most ${micro} workers (one per ghost batch of ${ghost} images in a batch of ${options.batch}), but got ${options.workers}.`);
  }
  const loadBefore = loadavg();
  const batches = makeBatches(Math.max(options.steps, options.cpuSteps) + 1, options.batch, options.size);

  const selection = await selectBackend('wasm');
  const wasm = await runWasm(batches, micro, options);
  process.stderr.write(`wasm: 1 thread ${wasm.single.imagesPerSecond.toFixed(1)} images/s, ${options.workers} workers ${wasm.parallel.imagesPerSecond.toFixed(1)} images/s${options.cpu ? '; now the CPU backend (slow)…' : ''}\n`);
  const ceiling = matMulGflops();
  const counted = createClassifier(modelOptions(options.size));
  const macs = countMacs(counted);
  counted.dispose();
  const cpu = options.cpu ? await runCpu(batches, micro, options) : undefined;

  // Training ≈ forward + input gradient + weight gradient, each one MAC = 2 FLOP.
  const trainFlopsPerImage = 2 * (3 * macs.forward - macs.skippedInputGrad);
  const gflops = (r: Run) => (trainFlopsPerImage * r.imagesPerSecond) / 1e9;
  const speedup = wasm.parallel.imagesPerSecond / wasm.single.imagesPerSecond;
  const speedupInBlocks = wasm.parallelInBlocks.imagesPerSecond / wasm.singleInBlocks.imagesPerSecond;
  /** The target for 2 workers (none is set for other counts). */
  const speedupTarget = (value: number) => ({ value: round(value), target: options.workers === 2 ? 1.7 : null, met: options.workers === 2 ? value >= 1.7 : null });
  const perWorker = gflops(wasm.parallel) / options.workers;
  const result = {
    benchmark: 'train',
    model: `createClassifier (training/src/model/create-model.ts), width ${modelOptions(options.size).width}, stages ${modelOptions(options.size).stageMultipliers.join(',')}`,
    inputSize: options.size,
    batch: options.batch,
    ghostBatch: ghost,
    microBatches: micro,
    warmupSteps: options.warmup,
    labels: LABELS.length,
    cores: availableParallelism(),
    forwardMFlopPerImage: round((2 * macs.forward) / 1e6, 1),
    trainMFlopPerImage: round(trainFlopsPerImage / 1e6, 1),
    backend: selection.reason,
    wasm: { ...roundRun(wasm.single), ...(wasm.profile ? { profile: wasm.profile } : {}) },
    parallel: roundRun(wasm.parallel),
    speedup: round(speedup),
    speedupInCpuTime: round(wasm.parallel.imagesPerCpuSecond / wasm.single.imagesPerCpuSecond),
    blockSteps: options.block,
    wasmInBlocks: roundRun(wasm.singleInBlocks),
    parallelInBlocks: roundRun(wasm.parallelInBlocks),
    speedupInBlocks: round(speedupInBlocks),
    trainGflops: round(gflops(wasm.single)),
    parallelGflopsPerWorker: round(perWorker),
    matMul1024Gflops: round(ceiling),
    shareOfMatMulCeiling: round(gflops(wasm.single) / ceiling, 3),
    parallelShareOfMatMulCeilingPerWorker: round(perWorker / ceiling, 3),
    ...(cpu
      ? {
          cpu: roundRun(cpu),
          speedupVsCpu: round(wasm.single.imagesPerSecond / cpu.imagesPerSecond, 1),
          speedupVsCpuInCpuTime: round(wasm.single.imagesPerCpuSecond / cpu.imagesPerCpuSecond, 1),
        }
      : {}),
    targets: {
      [`speedup${options.workers}Workers`]: speedupTarget(speedup),
      [`speedup${options.workers}WorkersInBlocks`]: speedupTarget(speedupInBlocks),
      shareOfCeilingPerWorker: { value: round(perWorker / ceiling, 3), target: 0.5, met: perWorker / ceiling >= 0.5 },
    },
    loadAverage: { before: loadBefore.map((v) => round(v)), after: loadavg().map((v) => round(v)) },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
