/**
 * A minimal external store for React (useSyncExternalStore). State is replaced, never
 * mutated, so selectors can compare by reference.
 */
import { useSyncExternalStore } from 'react';

export interface Store<S> {
  get(): S;
  set(update: (state: S) => S): void;
  subscribe(listener: () => void): () => void;
  /** Tells listeners now of an update that coalescing still holds back (no-op when none is). */
  notifyNow(): void;
}

/**
 * @param options.coalesceMs when set, listeners are told at once of a lone update, then at
 *   most once per this many ms (state itself is always current): a hundred files decoding
 *   in a burst then cost a few renders, not a hundred.
 */
export function createStore<S>(initial: S, options: { coalesceMs?: number } = {}): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastNotified = -Infinity;
  const notify = (): void => {
    timer = undefined;
    lastNotified = Date.now();
    for (const listener of listeners) listener();
  };
  return {
    get: () => state,
    set(update) {
      const next = update(state);
      if (next === state) return;
      state = next;
      const wait = options.coalesceMs;
      // Leading edge: a lone update shows at once; a burst is told once per `wait` ms.
      if (wait === undefined || (timer === undefined && Date.now() - lastNotified >= wait)) notify();
      else timer ??= setTimeout(notify, wait);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notifyNow() {
      if (timer === undefined) return;
      clearTimeout(timer);
      notify();
    },
  };
}

export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
// Note: selectors must return stored references or primitives (not fresh arrays/objects),
// or useSyncExternalStore re-renders forever; derive collections with useMemo instead.
