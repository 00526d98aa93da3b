/**
 * Caches of decoded poster tensors and backbone features, keyed by (movie, pipeline, backbone).
 * The store is injected: the worker passes an adapter over the library's feature store
 * (IndexedDB); Node and tests use `memoryPosterCache`. One record per poster, so an interrupted
 * extraction resumes where it stopped.
 */
import { posterCacheKey, type PipelineSpec } from './pipeline.ts';

/** One cached array with its shape (the same fields as storage's FeatureCache). */
export interface CachedArray {
  data: Float32Array;
  shape: number[];
}

/** Where cached arrays live; `put` gets the movie key so deleting a movie can delete its caches. */
export interface PosterCache {
  get(key: string): Promise<CachedArray | undefined>;
  put(key: string, movieKey: string, value: CachedArray): Promise<void>;
}

/** A PosterCache in a Map, with hit/miss counters for tests and benchmarks. */
export function memoryPosterCache(): PosterCache & {
  size(): number;
  hits: number;
  misses: number;
} {
  const m = new Map<string, CachedArray>();
  const cache = {
    hits: 0,
    misses: 0,
    size: () => m.size,
    async get(key: string) {
      const v = m.get(key);
      if (v) cache.hits++;
      else cache.misses++;
      return v;
    },
    async put(key: string, _movieKey: string, value: CachedArray) {
      m.set(key, value);
    },
  };
  return cache;
}

export interface CachedMapOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, cached: number) => void;
}

/**
 * For each movie, the cached array at (movie, pipeline, backbone) or, when missing, `compute(i)`
 * stored before moving on. Returns the arrays in order and how many came from the cache.
 */
export async function cachedMap(
  movieKeys: readonly string[],
  pipeline: PipelineSpec,
  backbone: string,
  cache: PosterCache,
  compute: (index: number) => Promise<CachedArray>,
  opts: CachedMapOptions = {},
): Promise<{ arrays: CachedArray[]; fromCache: number }> {
  const arrays: CachedArray[] = [];
  let fromCache = 0;
  for (const [i, movieKey] of movieKeys.entries()) {
    opts.signal?.throwIfAborted();
    const key = posterCacheKey(movieKey, pipeline, backbone);
    let v = await cache.get(key);
    if (v) fromCache++;
    else {
      v = await compute(i);
      await cache.put(key, movieKey, v);
    }
    arrays.push(v);
    opts.onProgress?.(i + 1, movieKeys.length, fromCache);
  }
  return { arrays, fromCache };
}

/** Stacks same-shaped arrays into one [n, ...shape] buffer. */
export function stackArrays(arrays: readonly CachedArray[]): CachedArray {
  const first = arrays[0];
  if (!first) return { data: new Float32Array(0), shape: [0] };
  const size = first.data.length;
  const out = new Float32Array(arrays.length * size);
  arrays.forEach((a, i) => {
    if (a.data.length !== size)
      throw new RangeError(`array ${i} has ${a.data.length} values, expected ${size}`);
    out.set(a.data, i * size);
  });
  return { data: out, shape: [arrays.length, ...first.shape] };
}
