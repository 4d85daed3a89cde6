import { describe, expect, it } from 'vitest';
import { ByteBudgetLru } from './byte-budget-lru.ts';

describe('ByteBudgetLru', () => {
  it('evicts the least recently used entries until the new one fits, never exceeding the budget', () => {
    const evicted: string[] = [];
    const lru = new ByteBudgetLru<string, number>(100, (k) => evicted.push(k));
    lru.set('a', 1, 40);
    lru.set('b', 2, 40);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3, 40);
    expect(evicted).toEqual(['b']);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.bytes).toBe(80);
    lru.set('d', 4, 100);
    expect(evicted).toEqual(['b', 'a', 'c']);
    expect(lru.bytes).toBe(100);
    expect(lru.peak).toBe(100);
  });

  it('does not keep an entry larger than the budget, and replacing a key frees its old size', () => {
    const lru = new ByteBudgetLru<string, string>(10);
    lru.set('big', 'x', 11);
    expect(lru.has('big')).toBe(false);
    expect(lru.bytes).toBe(0);
    lru.set('k', 'v1', 6);
    lru.set('k', 'v2', 8);
    expect(lru.bytes).toBe(8);
    expect(lru.get('k')).toBe('v2');
  });

  it('shrinks to a smaller budget and refuses a negative one', () => {
    const lru = new ByteBudgetLru<number, number>(30);
    for (let i = 0; i < 3; i++) lru.set(i, i, 10);
    lru.resize(15);
    expect(lru.size).toBe(1);
    expect(lru.has(2)).toBe(true);
    expect(() => new ByteBudgetLru(-1)).toThrow('Expected a byte budget ≥ 0, but got -1');
  });
});
