import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../storage/index.ts';
import { deleteDatabase, makeMovie, uniqueDbName } from '../../test/storage-helpers.ts';
import { cachedMap } from './cache.ts';
import { libraryPosterCache } from './idb-cache.ts';
import { PAPER_POSTER, posterCacheKey, type PipelineSpec } from './pipeline.ts';

const SMALL: PipelineSpec = { height: 4, width: 3, color: 'rgb', normalization: 'unit' };
const names: string[] = [];
const libs: Library[] = [];

async function freshLibrary(name = uniqueDbName('poster-cache')): Promise<Library> {
  if (!names.includes(name)) names.push(name);
  const lib = await openLibrary({ name });
  libs.push(lib);
  return lib;
}

/** A deterministic "decoded poster" for movie i (values i + j/100). */
const tensorOf = (i: number) => ({
  data: Float32Array.from({ length: 4 * 3 * 3 }, (_, j) => i + j / 100),
  shape: [4, 3, 3],
});

afterAll(async () => {
  libs.forEach((l) => l.close());
  for (const n of names) await deleteDatabase(n);
});

describe('libraryPosterCache (real IndexedDB)', () => {
  it('misses, then hits with the same values and shape after a put', async () => {
    const cache = libraryPosterCache(await freshLibrary(), () => 5);
    const key = posterCacheKey('tmdb:1', SMALL, 'none');
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, 'tmdb:1', tensorOf(1));
    const hit = await cache.get(key);
    expect(hit?.shape).toEqual([4, 3, 3]);
    expect(hit?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(hit!.data)).toEqual(Array.from(tensorOf(1).data));
    expect({ hits: cache.hits, misses: cache.misses, puts: cache.puts }).toEqual({
      hits: 1,
      misses: 1,
      puts: 1,
    });
  });

  it('keys differ by pipeline and backbone', async () => {
    const cache = libraryPosterCache(await freshLibrary());
    await cache.put(posterCacheKey('tmdb:1', SMALL, 'none'), 'tmdb:1', tensorOf(1));
    expect(await cache.get(posterCacheKey('tmdb:1', PAPER_POSTER, 'none'))).toBeUndefined();
    expect(await cache.get(posterCacheKey('tmdb:1', SMALL, 'mobilenetv2-0.35'))).toBeUndefined();
  });

  it('resumes an interrupted extraction after reopening the database', async () => {
    const name = uniqueDbName('poster-resume');
    const keys = Array.from({ length: 10 }, (_, i) => `tmdb:${i + 1}`);
    const first = libraryPosterCache(await freshLibrary(name));
    const stop = new AbortController();
    const computed: number[] = [];
    const run1 = cachedMap(
      keys,
      SMALL,
      'none',
      first,
      async (i) => {
        computed.push(i);
        if (i === 5) stop.abort(new DOMException('Cancelled', 'AbortError'));
        return tensorOf(i);
      },
      { signal: stop.signal },
    );
    await expect(run1).rejects.toThrow(/Cancelled/);
    expect(computed).toEqual([0, 1, 2, 3, 4, 5]);
    libs.at(-1)!.close();

    const second = libraryPosterCache(await freshLibrary(name));
    const again: number[] = [];
    const r = await cachedMap(keys, SMALL, 'none', second, async (i) => {
      again.push(i);
      return tensorOf(i);
    });
    // Posters 0–5 were stored before the abort took effect; only 6–9 are computed again.
    expect(again).toEqual([6, 7, 8, 9]);
    expect(r.fromCache).toBe(6);
    expect(r.arrays.map((a) => a.data[0])).toEqual(keys.map((_, i) => i));

    const third = await cachedMap(keys, SMALL, 'none', libraryPosterCache(libs.at(-1)!), () => {
      throw new Error('nothing should be computed on a full cache');
    });
    expect(third.fromCache).toBe(10);
  });

  it('deleting a movie deletes its cached posters and features', async () => {
    const lib = await freshLibrary();
    await lib.putMovies([makeMovie('tmdb:1'), makeMovie('tmdb:2')]);
    const cache = libraryPosterCache(lib);
    for (const m of ['tmdb:1', 'tmdb:2'])
      for (const b of ['none', 'mobilenetv2-0.35'])
        await cache.put(posterCacheKey(m, SMALL, b), m, tensorOf(1));
    await lib.deleteMovies(['tmdb:1']);
    expect(await cache.get(posterCacheKey('tmdb:1', SMALL, 'none'))).toBeUndefined();
    expect(await cache.get(posterCacheKey('tmdb:1', SMALL, 'mobilenetv2-0.35'))).toBeUndefined();
    expect(await cache.get(posterCacheKey('tmdb:2', SMALL, 'mobilenetv2-0.35'))).toBeDefined();
  });
});
