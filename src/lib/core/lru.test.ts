import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry past capacity, reporting it', () => {
    const evicted: string[] = [];
    const lru = new LruCache<string, number>(3, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now newest: b is oldest
    lru.set('d', 4);
    expect(evicted).toEqual(['b']);
    expect(lru.has('b')).toBe(false);
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([1, 3, 4]);
    expect(lru.size).toBe(3);
  });

  it('re-setting a key refreshes it and evicts the replaced value only', () => {
    const evicted: Array<[string, number]> = [];
    const lru = new LruCache<string, number>(2, (k, v) => evicted.push([k, v]));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10); // replaced value 1 is released; a becomes newest
    lru.set('c', 3); // b is now the oldest
    expect(evicted).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(lru.get('a')).toBe(10);
  });

  it('a get of a missing key changes nothing; delete and clear release values', () => {
    const evicted: string[] = [];
    const lru = new LruCache<string, number>(2, (k) => evicted.push(k));
    expect(lru.get('x')).toBeUndefined();
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    lru.clear();
    expect(evicted).toEqual(['a', 'b']);
    expect(lru.size).toBe(0);
  });

  it('holds at most its capacity over a long scroll', () => {
    let live = 0;
    const lru = new LruCache<number, object>(50, () => live--);
    for (let i = 0; i < 10_000; i++) {
      if (!lru.has(i % 700)) {
        lru.set(i % 700, {});
        live++;
      }
    }
    expect(lru.size).toBe(50);
    expect(live).toBe(50);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
