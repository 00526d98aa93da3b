/**
 * Thumbnails for the Library table: read from the store, made on demand (and stored) for posters
 * imported before thumbnails existed, and back-filled for the whole library in batches. The store
 * and the thumbnail maker are injected (the worker passes the library and vision/thumbnail.ts).
 */
import type { Poster } from './types.ts';
import type { PosterThumbnail } from './import-posters.ts';
import { throwIfAborted } from './csv.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';

/** Where thumbnails live (the Library interface satisfies it). */
export interface ThumbnailStore {
  getThumbnails(keys: readonly string[]): Promise<(PosterThumbnail | undefined)[]>;
  putThumbnails(records: readonly PosterThumbnail[]): Promise<void>;
  getPoster(key: string): Promise<Poster | undefined>;
  keysWithoutThumbnail(after: string | undefined, limit: number): Promise<string[]>;
}

/** Makes a thumbnail from a poster's image bytes. */
export type MakeThumbnail = (blob: Blob) => Promise<{ blob: Blob; width: number; height: number }>;

async function makeFor(
  store: ThumbnailStore,
  keys: readonly string[],
  make: MakeThumbnail,
): Promise<PosterThumbnail[]> {
  const made: PosterThumbnail[] = [];
  await Promise.all(
    keys.map(async (key) => {
      const poster = await store.getPoster(key);
      if (!poster) return;
      try {
        made.push({ ...(await make(poster.blob)), movieKey: key, posterBytes: poster.sizeBytes });
      } catch {
        // An undecodable stored poster gets no thumbnail; the table shows its placeholder.
      }
    }),
  );
  await store.putThumbnails(made);
  return made;
}

/** The thumbnails of these movies (null: the movie has no poster); missing ones are made and stored. */
export async function loadThumbnails(
  store: ThumbnailStore,
  keys: readonly string[],
  make: MakeThumbnail,
): Promise<(Blob | null)[]> {
  const found = await store.getThumbnails(keys);
  const missing = keys.filter((_, i) => found[i] === undefined);
  const made = new Map((await makeFor(store, missing, make)).map((t) => [t.movieKey, t.blob]));
  return keys.map((k, i) => found[i]?.blob ?? made.get(k) ?? null);
}

/** Makes every missing or stale thumbnail, `batchSize` posters per transaction; returns how many. */
export async function fillThumbnails(
  store: ThumbnailStore,
  make: MakeThumbnail,
  opts: { signal?: AbortSignal; onProgress?: ProgressFn; batchSize?: number } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 50;
  const tracker = new ProgressTracker('Thumbnails', null, opts.onProgress ?? (() => {}));
  let after: string | undefined;
  let n = 0;
  for (;;) {
    throwIfAborted(opts.signal);
    const keys = await store.keysWithoutThumbnail(after, batchSize);
    if (keys.length === 0) break;
    n += (await makeFor(store, keys, make)).length;
    after = keys[keys.length - 1];
    tracker.tick(keys.length);
  }
  tracker.finish(`${n} thumbnails made`);
  return n;
}
