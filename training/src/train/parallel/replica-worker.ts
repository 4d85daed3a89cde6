/**
 * A replica worker of data-parallel training: the tfjs WASM backend with RadLocal's kernels,
 * one copy of the model and Adam for one shard of it. Per step it computes its share of the
 * micro-batches into the shared buffer, counts them in the shared counter, waits (Atomics.wait)
 * until every worker's are there, reads every slot of the step and applies the update to its
 * shard, publishes the shard, waits for every other shard and takes them, and reports `stepped`.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { RadLocalError, toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { selectBackend } from '../../backend/select-backend.ts';
import { createClassifier } from '../../model/create-model.ts';
import { optimizerSnapshot, restoreOptimizer, restoreWeights, weightSnapshot } from '../train-loop.ts';
import { stepCounts, stepSlots, type FromWorker, type InitMessage, type ToWorker } from './messages.ts';
import { Replica, shardOptimizerState } from './replica.ts';

const port = parentPort;
if (!port) throw new RadLocalError('INTERNAL', 'Expected to run as a worker thread, but there is no parent port.');

let init: InitMessage | undefined;
let replica: Replica | undefined;
let slots: Float32Array[] | undefined;
let weights: Float32Array | undefined;
let counter: Int32Array | undefined;

const post = (message: FromWorker): void => port.postMessage(message);

async function start(message: InitMessage): Promise<void> {
  const { backend } = await selectBackend('wasm');
  if (backend !== 'wasm') throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected the WebAssembly backend in a training worker, but got ${backend}.`);
  const model = createClassifier(message.model);
  restoreWeights(model, message.weights);
  const optimizer = tf.train.adam(message.learningRate) as tf.AdamOptimizer;
  replica = new Replica(model, optimizer, message.positiveWeights, message.model.inputSize, { index: message.index, count: message.workers });
  if (message.optimizer) await restoreOptimizer(optimizer, shardOptimizerState(message.optimizer, model.trainableWeights.length, replica.own));
  if (replica.slotSize !== message.slotSize) {
    throw new RadLocalError('INTERNAL', `Expected ${message.slotSize} floats per gradient slot, but this worker's model has ${replica.slotSize}.`);
  }
  init = message;
  slots = stepSlots(new Float32Array(message.shared), message.microBatches, message.slotSize);
  weights = new Float32Array(message.sharedWeights);
  counter = new Int32Array(message.counter);
  post({ type: 'ready', index: message.index });
}

function fault(step: number): void {
  const f = init?.fault;
  if (!f || f.worker !== init?.index || f.step !== step) return;
  if (f.kind === 'exit') process.exit(3);
  throw new Error(`injected fault at step ${step}`);
}

/**
 * Adds `count` to the shared counter and waits until it reaches `target` (every worker's part
 * is there). A worker that fails instead is terminated with the rest, which ends this wait.
 */
function arrive(shared: Int32Array, count: number, target: number): void {
  Atomics.add(shared, 0, count);
  Atomics.notify(shared, 0);
  for (let seen = Atomics.load(shared, 0); seen < target; seen = Atomics.load(shared, 0)) Atomics.wait(shared, 0, seen);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') return start(message);
  if (!init || !replica || !slots || !weights || !counter) throw new RadLocalError('INTERNAL', 'Expected an init message before any step.');
  if (message.type === 'step') {
    fault(message.step);
    const counts = stepCounts(message.step, init.microBatches, init.workers);
    for (const { index, batch } of message.micro) replica.computeMicroBatch(batch, slots[index]!);
    arrive(counter, message.micro.length, counts.slots);
    replica.applyAveraged(slots, message.learningRate);
    replica.publishOwn(weights);
    arrive(counter, 1, counts.shards);
    replica.adoptOthers(weights);
    post({ type: 'stepped', index: init.index, step: message.step });
  } else if (message.type === 'snapshot') {
    post({ type: 'snapshot', index: init.index, weights: weightSnapshot(replica.model) });
  } else {
    post({ type: 'optimizer', index: init.index, optimizer: await optimizerSnapshot(replica.optimizer) });
  }
}

// Messages are handled strictly one after another (init is asynchronous).
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message)).catch((error: unknown) => {
    post({ type: 'error', index: init?.index ?? -1, error: toSerializedError(error) });
  });
});
