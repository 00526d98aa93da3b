import { afterEach, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from './index.ts';
import { approxBytes } from './store-sizes.ts';
import {
  deleteDatabase,
  makeMovie,
  makePoster,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

let lib: Library | undefined;
let name = '';
afterEach(async () => {
  lib?.close();
  lib = undefined;
  await deleteDatabase(name);
});

async function libraryWith(movies: number): Promise<Library> {
  name = uniqueDbName('batches');
  lib = await openLibrary({ name });
  await lib.putMovies(
    Array.from({ length: movies }, (_, i) =>
      makeMovie(`tmdb:${i + 1}`, { tmdbId: i + 1, keywords: [`k${i % 7}`] }),
    ),
  );
  return lib;
}

describe('movieBatches', () => {
  it('reads every movie once, in key order, batchSize at a time', async () => {
    const l = await libraryWith(2_500);
    const sizes: number[] = [];
    const keys: string[] = [];
    for await (const batch of l.movieBatches(1_000)) {
      sizes.push(batch.length);
      keys.push(...batch.map((m) => m.key));
    }
    expect(sizes).toEqual([1_000, 1_000, 500]);
    expect(new Set(keys).size).toBe(2_500);
    expect(keys).toEqual([...keys].sort());
  });

  it('ends after an exactly full last batch, and yields nothing for an empty store', async () => {
    const l = await libraryWith(2_000);
    const sizes: number[] = [];
    for await (const batch of l.movieBatches(1_000)) sizes.push(batch.length);
    expect(sizes).toEqual([1_000, 1_000]);
    await l.clearAll();
    for await (const batch of l.movieBatches(1_000)) sizes.push(batch.length);
    expect(sizes).toEqual([1_000, 1_000]);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    const l = await libraryWith(1);
    await expect(l.movieBatches(0).next()).rejects.toThrow(/positive integer, got 0/);
  });
});

describe('storeSizes', () => {
  it('counts records and approximate bytes per store, posters by their blob sizes', async () => {
    const l = await libraryWith(1_234);
    await l.putPosters([
      makePoster('tmdb:1', randomBytes(50_000, 1)),
      makePoster('tmdb:2', randomBytes(70_000, 2)),
    ]);
    const sizes = Object.fromEntries((await l.storeSizes()).map((s) => [s.store, s]));
    expect(sizes.movies?.records).toBe(1_234);
    const one = approxBytes(await l.getMovie('tmdb:5'));
    // Every synthetic movie has the same shape, give or take a digit or two of its id.
    expect(sizes.movies?.bytes).toBeGreaterThan(1_234 * (one - 10));
    expect(sizes.movies?.bytes).toBeLessThan(1_234 * (one + 10));
    expect(sizes.posters?.records).toBe(2);
    expect(sizes.posters?.bytes).toBeGreaterThanOrEqual(120_000);
    expect(sizes.posters?.bytes).toBeLessThan(121_000);
    expect(sizes.runs).toEqual({ store: 'runs', records: 0, bytes: 0 });
  });

  it('sizes values as stored: strings by length, numbers 8, blobs and buffers by bytes', () => {
    expect(approxBytes('abcd')).toBe(4);
    expect(approxBytes({ a: 1, bb: [true, 'xy'] })).toBe(1 + 8 + 2 + 1 + 2);
    expect(approxBytes(new Blob([new Uint8Array(300)]))).toBe(300);
    expect(approxBytes(new Float32Array(10))).toBe(40);
  });
});
