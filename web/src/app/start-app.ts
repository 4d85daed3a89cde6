/**
 * What the page starts once its own JavaScript has loaded (the inference worker was started
 * before, by features/findings/boot-inference-worker.ts): the test hooks, the triage queue (which
 * adopts that worker), site rescoring, and the decode worker.
 */
import { installTestHooks } from './test-hooks.ts';
import { warmDecoder } from '../shared/decode/decode-client.ts';
import { installInferenceQueue } from '../features/findings/inference-queue.ts';
import { installSiteRescoring } from '../shared/findings/findings-store.ts';

export function startApp(): void {
  installTestHooks();
  installInferenceQueue();
  installSiteRescoring();
  warmDecoder();
}
