import { createStore } from '../store/create-store.ts';
import type { ModelStatus } from './inference-messages.ts';

/** The model as the inference worker reports it (loading, ready with card + backend, or a typed error). */
export const modelStore = createStore<ModelStatus>({ state: 'loading' });
