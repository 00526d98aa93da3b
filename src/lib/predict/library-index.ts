/**
 * The library side of "Posters like this one": the head's input features of every library
 * poster, computed once per feature space (backbone(s) + flip averaging) and kept both in memory
 * and in the library's feature store (one record per poster, keyed by space + movie, tagged with
 * the movie so deleting it deletes the vector), so the second drop (and the next visit) only
 * lists poster keys. A stored vector is reused only while its poster is the same (size and
 * import time). The library is typed structurally (storage's Library satisfies it).
 */
import { yieldToEvents } from '../core/yield.ts';
import type { GenreGroup } from '../features/groups.ts';
import type { FeatureRecord } from '../vision/idb-cache.ts';
import { buildIndex, nearest, type FeatureIndex } from './neighbours.ts';

/** What the index needs from the library. */
export interface PosterLibrary {
  posterKeys(): Promise<string[]>;
  getPoster(key: string): Promise<{ blob: Blob; sizeBytes: number; addedAt: number } | undefined>;
  getMovie(key: string): Promise<{ title: string; year?: number; genreIds: number[] } | undefined>;
  getFeatures(key: string): Promise<FeatureRecord | undefined>;
  putFeatures(rec: FeatureRecord): Promise<void>;
}

/** Poster bytes → head features, one row per poster (null: the poster could not be read). */
export type FeaturesOf = (
  posters: { key: string; bytes: Uint8Array }[],
) => Promise<(Float32Array | null)[]>;

/** One of the nearest library posters, with what a person needs to judge it. */
export interface LibraryNeighbour {
  movieKey: string;
  title: string;
  year?: number;
  /** The movie's true genre groups (the card's groups its genres fall in). */
  groups: string[];
  distance: number;
  poster?: Blob;
}

/** How a sync went: posters in the library, how many have vectors, how many were computed now. */
export interface SyncResult {
  posters: number;
  indexed: number;
  computed: number;
  unreadable: number;
  cancelled: boolean;
}

/** Posters per feature batch: the backbone's batch size in predictor.ts. */
const BATCH = 8;
/** Stored vectors read per round (parallel gets). */
const READS = 128;

interface Meta {
  kind: 'predict-neighbours';
  space: string;
  sizeBytes: number;
  addedAt: number;
}

/** The feature-store key of one poster's vector in one feature space. */
export const vectorKey = (space: string, movieKey: string) => `predict:${space}:${movieKey}`;

export class LibraryFeatureIndex {
  readonly #vectors = new Map<string, Float32Array>();
  readonly #unreadable = new Set<string>();
  #index: FeatureIndex | null = null;
  #running: Promise<SyncResult> | null = null;

  /** `space` names the feature space (vectors of different spaces never mix); `dims` its size. */
  constructor(
    readonly space: string,
    readonly dims: number,
    private readonly featuresOf: FeaturesOf,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  /** Vectors held for the current library. */
  get size(): number {
    return this.#vectors.size;
  }

  /**
   * Brings the index up to the library: drops removed posters, reads stored vectors, computes the
   * missing ones in batches (progress counts the posters without a vector in memory, as each is
   * read or computed; an aborted signal stops between batches, and what was computed stays
   * stored). Concurrent calls share one run.
   */
  sync(
    lib: PosterLibrary,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<SyncResult> {
    this.#running ??= this.#sync(lib, signal, onProgress).finally(() => (this.#running = null));
    return this.#running;
  }

  async #sync(
    lib: PosterLibrary,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<SyncResult> {
    const keys = await lib.posterKeys();
    const present = new Set(keys);
    for (const k of [...this.#vectors.keys()])
      if (!present.has(k)) {
        this.#vectors.delete(k);
        this.#index = null;
      }
    const unknown = keys.filter((k) => !this.#vectors.has(k) && !this.#unreadable.has(k));
    const missing: string[] = [];
    const total = unknown.length;
    onProgress?.(0, total);
    for (let at = 0; at < unknown.length; at += READS) {
      const part = unknown.slice(at, at + READS);
      const found = await Promise.all(part.map((k) => this.#stored(lib, k)));
      part.forEach((k, i) => {
        const v = found[i];
        if (!v) return void missing.push(k);
        this.#vectors.set(k, v);
        this.#index = null;
      });
      onProgress?.(Math.min(at + READS, total) - missing.length, total);
    }
    const read = total - missing.length;
    let computed = 0;
    let cancelled = false;
    for (let at = 0; at < missing.length; at += BATCH) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      computed += await this.#compute(lib, missing.slice(at, at + BATCH));
      // A macrotask between batches, so a cancel message (and other calls) can arrive.
      await yieldToEvents();
      onProgress?.(read + Math.min(at + BATCH, missing.length), total);
    }
    return {
      posters: keys.length,
      indexed: this.#vectors.size,
      computed,
      unreadable: this.#unreadable.size,
      cancelled,
    };
  }

  /** A stored vector of this space whose poster is unchanged, else undefined. */
  async #stored(lib: PosterLibrary, key: string): Promise<Float32Array | undefined> {
    const rec = await lib.getFeatures(vectorKey(this.space, key));
    if (!rec) return undefined;
    const m = rec.meta as Partial<Meta>;
    const p = await lib.getPoster(key);
    if (!p || m.sizeBytes !== p.sizeBytes || m.addedAt !== p.addedAt) return undefined;
    const data =
      rec.data instanceof Float32Array ? rec.data : new Float32Array(rec.data as ArrayBuffer);
    return data.length === this.dims ? data : undefined;
  }

  async #compute(lib: PosterLibrary, keys: string[]): Promise<number> {
    const posters = (
      await Promise.all(keys.map(async (key) => ({ key, p: await lib.getPoster(key) })))
    ).filter((x): x is { key: string; p: NonNullable<typeof x.p> } => x.p !== undefined);
    const bytes = await Promise.all(
      posters.map(async ({ key, p }) => ({
        key,
        bytes: new Uint8Array(await p.blob.arrayBuffer()),
      })),
    );
    const vectors = await this.featuresOf(bytes);
    let n = 0;
    for (const [i, { key, p }] of posters.entries()) {
      const v = vectors[i];
      if (!v) {
        this.#unreadable.add(key);
        continue;
      }
      const meta: Meta = {
        kind: 'predict-neighbours',
        space: this.space,
        sizeBytes: p.sizeBytes,
        addedAt: p.addedAt,
      };
      await lib.putFeatures({
        key: vectorKey(this.space, key),
        createdAt: this.nowMs(),
        data: v,
        shape: [v.length],
        meta,
        movieKeys: [key],
      });
      this.#vectors.set(key, v);
      this.#index = null;
      n++;
    }
    return n;
  }

  /** The k library posters nearest to `query` (head features), with titles, true groups and posters. */
  async neighbours(
    lib: PosterLibrary,
    query: ArrayLike<number>,
    k: number,
    groups: readonly GenreGroup[],
  ): Promise<LibraryNeighbour[]> {
    this.#index ??= buildIndex(
      [...this.#vectors].map(([id, vector]) => ({ id, vector })),
      this.dims,
    );
    const near = nearest(this.#index, query, k);
    return Promise.all(
      near.map(async ({ id, distance }) => {
        const [movie, poster] = await Promise.all([lib.getMovie(id), lib.getPoster(id)]);
        const genres = new Set(movie?.genreIds ?? []);
        return {
          movieKey: id,
          title: movie?.title ?? id,
          ...(movie?.year !== undefined ? { year: movie.year } : {}),
          groups: groups.filter((g) => g.genreIds.some((x) => genres.has(x))).map((g) => g.name),
          distance,
          ...(poster ? { poster: poster.blob } : {}),
        };
      }),
    );
  }
}
