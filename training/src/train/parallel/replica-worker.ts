/**
 * A replica worker of data-parallel training: the tfjs WASM backend with RadLocal's kernels
 * and one copy of the model and of Adam. Per step it computes its share of the micro-batches
 * into the shared buffer, then (on `apply`) reads every slot of the step and applies the same
 * update as every other replica.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { RadLocalError, toSerializedError } from '../../../../core/errors/radlocal-error.ts';
import { selectBackend } from '../../backend/select-backend.ts';
import { createClassifier } from '../../model/create-model.ts';
import { restoreOptimizer, restoreWeights, weightSnapshot } from '../train-loop.ts';
import { slotOffset, stepSlots, type FromWorker, type InitMessage, type ToWorker } from './messages.ts';
import { Replica } from './replica.ts';

const port = parentPort;
if (!port) throw new RadLocalError('INTERNAL', 'Expected to run as a worker thread, but there is no parent port.');

let init: InitMessage | undefined;
let replica: Replica | undefined;
let view: Float32Array | undefined;

const post = (message: FromWorker): void => port.postMessage(message);

async function start(message: InitMessage): Promise<void> {
  const { backend } = await selectBackend('wasm');
  if (backend !== 'wasm') throw new RadLocalError('BACKEND_UNAVAILABLE', `Expected the WebAssembly backend in a training worker, but got ${backend}.`);
  const model = createClassifier(message.model);
  restoreWeights(model, message.weights);
  const optimizer = tf.train.adam(message.learningRate) as tf.AdamOptimizer;
  if (message.optimizer) await restoreOptimizer(optimizer, message.optimizer);
  replica = new Replica(model, optimizer, message.positiveWeights, message.model.inputSize);
  if (replica.slotSize !== message.slotSize) {
    throw new RadLocalError('INTERNAL', `Expected ${message.slotSize} floats per gradient slot, but this worker's model has ${replica.slotSize}.`);
  }
  init = message;
  view = new Float32Array(message.shared);
  post({ type: 'ready', index: message.index });
}

function fault(step: number): void {
  const f = init?.fault;
  if (!f || f.worker !== init?.index || f.step !== step) return;
  if (f.kind === 'exit') process.exit(3);
  throw new Error(`injected fault at step ${step}`);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') return start(message);
  if (!init || !replica || !view) throw new RadLocalError('INTERNAL', 'Expected an init message before any step.');
  const { microBatches: M, slotSize } = init;
  if (message.type === 'step') {
    fault(message.step);
    for (const { index, batch } of message.micro) {
      const offset = slotOffset(message.step, index, M, slotSize);
      replica.computeMicroBatch(batch, view.subarray(offset, offset + slotSize));
    }
    post({ type: 'computed', index: init.index, step: message.step });
  } else if (message.type === 'apply') {
    replica.applyAveraged(stepSlots(view, message.step, M, slotSize), message.learningRate);
  } else {
    post({ type: 'snapshot', index: init.index, weights: weightSnapshot(replica.model) });
  }
}

// Messages are handled strictly one after another (init is asynchronous).
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message)).catch((error: unknown) => {
    post({ type: 'error', index: init?.index ?? -1, error: toSerializedError(error) });
  });
});
