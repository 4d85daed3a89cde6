import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  it('evicts the least recently used entries to stay within its byte budget', () => {
    const cache = new LruCache<Float32Array>(3 * 16); // room for three 4-float entries
    for (const k of ['a', 'b', 'c']) cache.set(k, new Float32Array(4));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('d', new Float32Array(4)); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].every((k) => cache.get(k) !== undefined)).toBe(true);
    expect([cache.size, cache.byteSize, cache.hits, cache.misses]).toEqual([3, 48, 4, 1]);
  });

  it('does not keep an entry larger than the budget', () => {
    const cache = new LruCache<Float32Array>(8);
    cache.set('big', new Float32Array(4));
    expect(cache.size).toBe(0);
  });
});
