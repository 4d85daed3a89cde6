import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from './create-store.ts';

describe('createStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('notifies at once without coalescing, and not at all when the state is unchanged', () => {
    const store = createStore({ n: 0 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.get().n));
    store.set((s) => ({ n: s.n + 1 }));
    store.set((s) => s);
    expect(seen).toEqual([1]);
  });

  it('coalesces a burst of updates into one notification, with the state always current', () => {
    vi.useFakeTimers();
    const store = createStore({ n: 0 }, { coalesceMs: 50 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.get().n));
    for (let i = 0; i < 100; i++) store.set((s) => ({ n: s.n + 1 }));
    expect(store.get().n).toBe(100);
    expect(seen).toEqual([1]); // the first at once
    vi.advanceTimersByTime(50);
    expect(seen).toEqual([1, 100]);
    vi.advanceTimersByTime(1000);
    store.set((s) => ({ n: s.n + 1 }));
    expect(seen).toEqual([1, 100, 101]); // a lone update after a pause: at once
  });

  it('notifyNow tells listeners at once of an update coalescing holds back, and only then', () => {
    vi.useFakeTimers();
    const store = createStore({ n: 0 }, { coalesceMs: 50 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.get().n));
    store.set((s) => ({ n: s.n + 1 }));
    store.set((s) => ({ n: s.n + 1 }));
    expect(seen).toEqual([1]); // the second is held back
    store.notifyNow();
    expect(seen).toEqual([1, 2]);
    vi.advanceTimersByTime(50);
    store.notifyNow();
    expect(seen).toEqual([1, 2]); // nothing held: no second notification, not from the timer either
  });
});
