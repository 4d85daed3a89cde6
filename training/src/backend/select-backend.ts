/**
 * Chooses the TensorFlow.js backend for training and prediction in Node.
 *
 * - `tensorflow`: @tensorflow/tfjs-node (native libtensorflow); an optional dependency that
 *   often cannot install (its install script downloads libtensorflow).
 * - `wasm`: @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD) with RadLocal's gradient kernels.
 * - `cpu`: the pure-JavaScript backend; correct everywhere, about two orders slower.
 * - `auto`: the first of tensorflow → wasm → cpu that works, with the reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { registerRadLocalGradients } from './gradients.ts';
import { registerRadLocalWasmKernels } from './register-wasm-kernels.ts';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendSelection {
  /** The active tfjs backend name: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** One sentence saying why this backend runs. */
  reason: string;
}

export interface SelectBackendOptions {
  /** Loads @tensorflow/tfjs-node (replaceable in tests). */
  loadTfjsNode?: () => Promise<unknown>;
}

type Attempt = { ok: true; detail: string } | { ok: false; detail: string };

const TFJS_NODE = '@tensorflow/tfjs-node';

async function importTfjsNode(): Promise<unknown> {
  // A variable specifier: the package is optional and has no types when absent.
  const specifier = TFJS_NODE;
  return import(specifier);
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return `${TFJS_NODE} is not installed`;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `${TFJS_NODE} failed to load (${message})`;
}

async function tryTensorflow(load: () => Promise<unknown>): Promise<Attempt> {
  try {
    await load();
  } catch (error) {
    return { ok: false, detail: describe(error) };
  }
  if (!(await safeSetBackend('tensorflow'))) {
    return { ok: false, detail: `${TFJS_NODE} loaded but its 'tensorflow' backend did not initialise` };
  }
  return { ok: true, detail: 'native TensorFlow through @tensorflow/tfjs-node' };
}

async function tryWasm(): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    return { ok: false, detail: `@tensorflow/tfjs-backend-wasm failed to load (${String(error)})` };
  }
  if (!(await safeSetBackend('wasm'))) {
    return { ok: false, detail: 'the WebAssembly backend did not initialise' };
  }
  const kernels = registerRadLocalWasmKernels();
  const gradients = registerRadLocalGradients();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
  return { ok: true, detail: `WebAssembly (${simd}) with RadLocal's ${kernels.join(', ')} kernels and ${gradients.join(', ')} gradients` };
}

async function tryCpu(): Promise<Attempt> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await safeSetBackend('cpu'))) return { ok: false, detail: 'the JavaScript CPU backend did not initialise' };
  return { ok: true, detail: 'the pure-JavaScript CPU backend (slow)' };
}

/** tf.setBackend resolves false (and logs) when initialisation fails; some failures throw. */
async function safeSetBackend(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function unavailable(choice: BackendChoice, detail: string): RadLocalError {
  return new RadLocalError(
    'BACKEND_UNAVAILABLE',
    `The ${choice} backend was requested but cannot run: ${detail}. Use --backend auto to fall back.`,
  );
}

export async function selectBackend(
  choice: BackendChoice,
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new RadLocalError(
      'CLI_USAGE',
      `Expected --backend to be one of ${BACKEND_CHOICES.join(', ')}, but got "${String(choice)}".`,
    );
  }
  const load = options.loadTfjsNode ?? importTfjsNode;
  if (choice === 'tensorflow') {
    const attempt = await tryTensorflow(load);
    if (!attempt.ok) throw unavailable(choice, attempt.detail);
    return { backend: tf.getBackend(), reason: `requested: ${attempt.detail}` };
  }
  if (choice === 'wasm') {
    const attempt = await tryWasm();
    if (!attempt.ok) throw unavailable(choice, attempt.detail);
    return { backend: tf.getBackend(), reason: `requested: ${attempt.detail}` };
  }
  if (choice === 'cpu') {
    const attempt = await tryCpu();
    if (!attempt.ok) throw unavailable(choice, attempt.detail);
    return { backend: tf.getBackend(), reason: `requested: ${attempt.detail}` };
  }
  const failures: string[] = [];
  for (const attempt of [() => tryTensorflow(load), tryWasm, tryCpu]) {
    const result = await attempt();
    if (result.ok) {
      const why = failures.length > 0 ? `${failures.join('; ')}; ` : '';
      return { backend: tf.getBackend(), reason: `auto: ${why}using ${result.detail}` };
    }
    failures.push(result.detail);
  }
  throw unavailable(choice, failures.join('; '));
}
