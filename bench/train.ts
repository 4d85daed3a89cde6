/**
 * `npm run bench -- train [--size 128] [--batch 32] [--steps 6] [--cpu-steps 1] [--no-cpu]
 * [--profile]`: training throughput of the default classifier on RadLocal-WASM and on the
 * tfjs CPU backend, on the same seeded batches, in one run; plus the training GFLOP/s and its
 * share of the WASM matMul ceiling measured in the same process. Prints one JSON object.
 * Both backends start from the same seeded weights, so their `firstLoss` must agree.
 * `--profile` adds the per-kernel milliseconds of one WASM step. The machine is shared: wall
 * times come with the load average and with process CPU time per step.
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createClassifier } from '../training/src/model/create-model.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';
import { RadLocalError } from '../core/errors/radlocal-error.ts';
import { seededRandom } from '../core/random/seeded-random.ts';

const LABELS = ['a', 'b', 'c', 'd'];

interface Options {
  size: number;
  batch: number;
  steps: number;
  cpuSteps: number;
  cpu: boolean;
  profile: boolean;
}

function parseOptions(args: string[]): Options {
  const options: Options = { size: 128, batch: 32, steps: 6, cpuSteps: 1, cpu: true, profile: false };
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
    else if (flag === '--steps') options.steps = number();
    else if (flag === '--cpu-steps') options.cpuSteps = number();
    else if (flag === '--no-cpu') options.cpu = false;
    else if (flag === '--profile') options.profile = true;
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
}

function makeBatches(count: number, batch: number, size: number): Batch[] {
  return Array.from({ length: count }, (_, i) => ({
    x: seeded(batch * size * size, 1000 + i),
    y: seeded(batch * LABELS.length, 2000 + i).map((v) => (v < 0.3 ? 1 : 0)),
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

interface Trainer {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
}

function buildTrainer(size: number): Trainer {
  return { model: createClassifier({ inputSize: size, labels: LABELS, seed: 7 }), optimizer: tf.train.adam(1e-3) };
}

/** One optimizer step the way `radlocal train` takes it (minimize over model.apply in training mode). */
async function trainStep({ model, optimizer }: Trainer, batch: Batch, options: Options): Promise<number> {
  const loss = optimizer.minimize(
    () => {
      const x = tf.tensor4d(batch.x, [options.batch, options.size, options.size, 1]);
      const y = tf.tensor2d(batch.y, [options.batch, LABELS.length]);
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      return tf.losses.sigmoidCrossEntropy(y, logits) as tf.Scalar;
    },
    true,
  );
  if (loss === null) throw new RadLocalError('INTERNAL', 'Expected the optimizer step to return the loss, but got null.');
  const value = (await loss.data())[0]!;
  loss.dispose();
  return value;
}

interface BackendRun {
  backend: string;
  reason: string;
  stepMs: number[];
  /** Process CPU time per step (user + system): less sensitive than wall time to other load. */
  stepCpuMs: number[];
  imagesPerSecond: number;
  imagesPerCpuSecond: number;
  firstLoss: number;
  profile?: { kernel: string; ms: number }[];
}

async function runBackend(choice: 'wasm' | 'cpu', batches: Batch[], steps: number, options: Options): Promise<BackendRun> {
  const selection = await selectBackend(choice);
  const trainer = buildTrainer(options.size);
  const firstLoss = await trainStep(trainer, batches[0]!, options); // warm-up
  const stepMs: number[] = [];
  const stepCpuMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await trainStep(trainer, batches[(i + 1) % batches.length]!, options);
    const cpu = process.cpuUsage(cpuStart);
    stepMs.push(performance.now() - start);
    stepCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  let profile: BackendRun['profile'];
  if (options.profile && choice === 'wasm') {
    const info = await tf.profile(() => trainStep(trainer, batches[1 % batches.length]!, options));
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) {
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    }
    profile = [...byKernel.entries()]
      .map(([kernel, ms]) => ({ kernel, ms: Math.round(ms * 10) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15);
  }
  trainer.model.dispose();
  trainer.optimizer.dispose();
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    backend: selection.backend,
    reason: selection.reason,
    stepMs: stepMs.map((ms) => Math.round(ms)),
    stepCpuMs: stepCpuMs.map((ms) => Math.round(ms)),
    imagesPerSecond: (options.batch * 1000) / median(stepMs),
    imagesPerCpuSecond: (options.batch * 1000) / median(stepCpuMs),
    firstLoss,
    ...(profile ? { profile } : {}),
  };
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

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const loadBefore = loadavg();
  const batches = makeBatches(Math.max(options.steps, options.cpuSteps) + 1, options.batch, options.size);

  const wasm = await runBackend('wasm', batches, options.steps, options);
  const ceiling = matMulGflops();
  const counted = createClassifier({ inputSize: options.size, labels: LABELS, seed: 7 });
  const macs = countMacs(counted);
  counted.dispose();
  const cpu = options.cpu ? await runBackend('cpu', batches, options.cpuSteps, options) : undefined;

  // Training ≈ forward + input gradient + weight gradient, each one MAC = 2 FLOP.
  const trainFlopsPerImage = 2 * (3 * macs.forward - macs.skippedInputGrad);
  const trainGflops = (trainFlopsPerImage * wasm.imagesPerSecond) / 1e9;
  const result = {
    benchmark: 'train',
    model: 'createClassifier default (training/src/model/create-model.ts)',
    inputSize: options.size,
    batch: options.batch,
    labels: LABELS.length,
    forwardMFlopPerImage: round((2 * macs.forward) / 1e6, 1),
    trainMFlopPerImage: round(trainFlopsPerImage / 1e6, 1),
    wasm: { ...roundRun(wasm) },
    ...(cpu
      ? {
          cpu: roundRun(cpu),
          speedupVsCpu: round(wasm.imagesPerSecond / cpu.imagesPerSecond, 1),
          speedupVsCpuInCpuTime: round(wasm.imagesPerCpuSecond / cpu.imagesPerCpuSecond, 1),
        }
      : {}),
    trainGflops: round(trainGflops),
    matMul1024Gflops: round(ceiling),
    shareOfMatMulCeiling: round(trainGflops / ceiling, 3),
    targets: {
      imagesPerSecond50: wasm.imagesPerSecond >= 50,
      ...(cpu ? { speedupVsCpu40: wasm.imagesPerSecond / cpu.imagesPerSecond >= 40 } : {}),
    },
    loadAverage: { before: loadBefore.map((v) => round(v)), after: loadavg().map((v) => round(v)) },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

function roundRun(r: BackendRun): BackendRun {
  return {
    ...r,
    imagesPerSecond: round(r.imagesPerSecond),
    imagesPerCpuSecond: round(r.imagesPerCpuSecond),
    firstLoss: round(r.firstLoss, 6),
  };
}
