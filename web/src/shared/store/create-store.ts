/**
 * A minimal external store for React (useSyncExternalStore). State is replaced, never
 * mutated, so selectors can compare by reference.
 */
import { useSyncExternalStore } from 'react';

export interface Store<S> {
  get(): S;
  set(update: (state: S) => S): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(update) {
      const next = update(state);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
// Note: selectors must return stored references or primitives (not fresh arrays/objects),
// or useSyncExternalStore re-renders forever; derive collections with useMemo instead.
