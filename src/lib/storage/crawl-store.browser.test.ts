import { afterEach, describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { openLibrary } from './index.ts';
import {
  deleteDatabase,
  makeMovie,
  makePoster,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';

const names: string[] = [];
function testName(label: string): string {
  const name = uniqueDbName(label);
  names.push(name);
  return name;
}
afterEach(async () => {
  for (const name of names.splice(0)) await deleteDatabase(name);
});

describe('crawl stores (schema v3)', () => {
  it('moves a crawl saved in settings by v2 into its own stores, keeping what was done', async () => {
    const name = testName('crawl-migrate');
    const v2 = await openLibrary({ name, version: 2 });
    await v2.putMovies([1, 2, 3].map((id) => makeMovie(`tmdb:${id}`, { tmdbId: id })));
    await v2.putPosters([makePoster('tmdb:1', randomBytes(64, 1))]);
    await v2.putSetting('crawl.state', {
      version: 1,
      config: { source: { kind: 'popular' }, maxMovies: 5 },
      status: 'running',
      phase: 'posters',
      ids: [1, 2, 3, 4, 5],
      done: [1, 2, 3],
      skipped: [{ id: 4, reason: '404 Not Found' }],
      posterFailed: [{ key: 'tmdb:2', reason: 'content-type text/html', attempts: 3 }],
      postersStored: 1,
      log: [],
    });
    v2.close();

    const lib = await openLibrary({ name });
    expect(await lib.getSetting('crawl.state')).toBeUndefined();
    expect(await lib.getCrawl()).toMatchObject({ status: 'running', ids: [1, 2, 3, 4, 5] });
    expect(await lib.crawlCounts()).toEqual({
      stored: 3,
      skipped: 1,
      postersStored: 1,
      postersFailed: 1,
    });
    const items = await lib.crawlItems();
    expect(items.find((i) => i.id === 2)).toMatchObject({
      poster: 'failed',
      posterAttempts: 3,
    });
    expect(items.find((i) => i.id === 3)!.poster).toBeUndefined(); // still to fetch
    expect(items.some((i) => i.id === 5)).toBe(false);
    lib.close();
  });

  it('writes movies and their crawl items together or not at all', async () => {
    const lib = await openLibrary({ name: testName('crawl-atomic') });
    await lib.putCrawledMovies([
      { movie: makeMovie('tmdb:7', { tmdbId: 7 }), item: { id: 7, movie: 'stored' } },
    ]);
    const unclonable = { ...makeMovie('tmdb:8', { tmdbId: 8 }), oops: () => 1 } as Movie;
    await expect(
      lib.putCrawledMovies([
        { movie: null, item: { id: 9, movie: 'skipped', reason: 'x' } },
        { movie: unclonable, item: { id: 8, movie: 'stored' } },
      ]),
    ).rejects.toThrow();
    expect(await lib.getMovie('tmdb:8')).toBeUndefined();
    expect((await lib.crawlItems()).map((i) => i.id)).toEqual([7]);
    expect((await lib.crawlCounts()).stored).toBe(1);
    await lib.putCrawledPosters([
      {
        poster: makePoster('tmdb:7', randomBytes(32, 2)),
        item: { id: 7, movie: 'stored', poster: 'stored' },
      },
    ]);
    expect(await lib.crawlCounts()).toMatchObject({ stored: 1, postersStored: 1 });
    // A new crawl starts from no items, atomically with its record.
    await lib.resetCrawl({ status: 'running' });
    expect(await lib.crawlItems()).toEqual([]);
    expect(await lib.getCrawl()).toEqual({ key: 'current', status: 'running' });
    expect(await lib.countMovies()).toBe(1);
    lib.close();
  });
});
