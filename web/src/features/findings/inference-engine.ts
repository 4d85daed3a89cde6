/**
 * The TensorFlow.js half of the inference worker (tfjs-core, -layers, the WASM backend and the
 * model code: most of the worker's JavaScript), loaded as its own chunk. The worker's init imports
 * it as it starts reading the model's files, so they are fetched and verified while this loads
 * instead of after (inference.worker.ts).
 */
export { loadModel } from '../../../../core/model/load-model.ts';
export { predictBatch, predictImage, predictPreprocessed } from '../../../../core/model/predict.ts';
export { activateBackend, watchWebglContext } from './tfjs-backends.ts';
