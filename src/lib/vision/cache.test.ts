import { describe, expect, it } from 'vitest';
import { cachedMap, memoryPosterCache, stackArrays } from './cache.ts';
import { PAPER_POSTER } from './pipeline.ts';

describe('cachedMap', () => {
  it('computes each poster once; a second run reads everything from the cache', async () => {
    const cache = memoryPosterCache();
    const keys = ['imdb:tt1', 'imdb:tt2', 'imdb:tt3'];
    let computed = 0;
    const compute = async (i: number) => {
      computed++;
      return { data: Float32Array.from([i, i + 1]), shape: [2] };
    };
    const first = await cachedMap(keys, PAPER_POSTER, 'none', cache, compute);
    expect([computed, first.fromCache, cache.size()]).toEqual([3, 0, 3]);
    const second = await cachedMap(keys, PAPER_POSTER, 'none', cache, compute);
    expect([computed, second.fromCache]).toEqual([3, 3]);
    expect(stackArrays(second.arrays)).toEqual({
      data: Float32Array.from([0, 1, 1, 2, 2, 3]),
      shape: [3, 2],
    });
    // Another backbone is another cache entry.
    await cachedMap(keys.slice(0, 1), PAPER_POSTER, 'vgg16', cache, compute);
    expect(computed).toBe(4);
  });

  it('resumes after an abort without recomputing finished posters', async () => {
    const cache = memoryPosterCache();
    const keys = ['a', 'b', 'c', 'd'];
    const ctrl = new AbortController();
    const seen: number[] = [];
    const compute = async (i: number) => {
      seen.push(i);
      if (i === 1) ctrl.abort();
      return { data: new Float32Array(1), shape: [1] };
    };
    await expect(
      cachedMap(keys, PAPER_POSTER, 'none', cache, compute, { signal: ctrl.signal }),
    ).rejects.toThrow();
    const again = await cachedMap(keys, PAPER_POSTER, 'none', cache, compute);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(again.fromCache).toBe(2);
  });

  it('stackArrays refuses arrays of different sizes', () => {
    expect(() =>
      stackArrays([
        { data: new Float32Array(2), shape: [2] },
        { data: new Float32Array(3), shape: [3] },
      ]),
    ).toThrow(RangeError);
  });
});
