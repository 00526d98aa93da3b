/**
 * A PosterCache over the library's feature store (IndexedDB in the app). Each poster tensor or
 * feature vector is one FeatureCache record keyed by posterCacheKey(movie, pipeline, backbone)
 * and tagged with its movie, so deleting a movie deletes its caches, a second run skips
 * decoding and extraction, and an interrupted extraction resumes at the first missing poster.
 * The store is typed structurally (storage's Library satisfies it): vision/ does not import storage/.
 */
import type { CachedArray, PosterCache } from './cache.ts';

/** The part of a feature record this cache reads and writes (storage's FeatureCache). */
export interface FeatureRecord {
  key: string;
  createdAt: number;
  data: ArrayBuffer | ArrayBufferView;
  shape: number[];
  meta: unknown;
  movieKeys?: string[];
}

/** What the cache needs from the library. */
export interface FeatureStore {
  getFeatures(key: string): Promise<FeatureRecord | undefined>;
  putFeatures(rec: FeatureRecord): Promise<void>;
}

/** A PosterCache with counters, for progress messages, tests and benchmarks. */
export type CountingPosterCache = PosterCache & { hits: number; misses: number; puts: number };

/** Float32 view of a stored payload (stored as a Float32Array; other layouts are converted). */
function asFloat32(data: ArrayBuffer | ArrayBufferView): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof ArrayBuffer) return new Float32Array(data);
  return Float32Array.from(data as unknown as ArrayLike<number>);
}

/** The poster cache of a library; `nowMs` stamps createdAt (injectable for tests). */
export function libraryPosterCache(
  store: FeatureStore,
  nowMs: () => number = () => Date.now(),
): CountingPosterCache {
  const cache: CountingPosterCache = {
    hits: 0,
    misses: 0,
    puts: 0,
    async get(key: string): Promise<CachedArray | undefined> {
      const rec = await store.getFeatures(key);
      if (!rec) {
        cache.misses++;
        return undefined;
      }
      cache.hits++;
      return { data: asFloat32(rec.data), shape: rec.shape };
    },
    async put(key: string, movieKey: string, value: CachedArray): Promise<void> {
      await store.putFeatures({
        key,
        createdAt: nowMs(),
        data: value.data,
        shape: value.shape,
        meta: { kind: 'poster' },
        movieKeys: [movieKey],
      });
      cache.puts++;
    },
  };
  return cache;
}
