import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryMovies, type TableQuery } from '../data/movie-table.ts';
import type { Movie } from '../data/types.ts';
import { profileOf } from '../features/library-profile.ts';
import { openLibrary } from '../storage/index.ts';
import {
  deleteDatabase,
  makeMovie,
  makePoster,
  mulberry32,
  randomBytes,
  uniqueDbName,
} from '../../test/storage-helpers.ts';
import { LibraryViews } from './library-view.ts';
import { libraryViewWorker } from './library-view-client.ts';

const DB = uniqueDbName('view');
const N = 2_500;
const GENRES = [18, 28, 35, 53, 99, 878];
const WORDS = ['night', 'river', 'Éclair', 'alpha', 'zeta', 'love', 'war'];

function movies(n: number, seed: number): Movie[] {
  const rng = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  return Array.from({ length: n }, (_, i) =>
    makeMovie(`tmdb:${i + 1}`, {
      title: `${pick(WORDS)} ${pick(WORDS)}`,
      genreIds: rng() < 0.1 ? [] : [pick(GENRES), pick(GENRES)],
      keywords: rng() < 0.5 ? [pick(WORDS)] : [],
      ...(rng() < 0.8 ? { year: 1950 + Math.floor(rng() * 70) } : {}),
      ...(rng() < 0.8 ? { voteAverage: Math.round(rng() * 100) / 10 } : {}),
      ...(rng() < 0.8 ? { voteCount: Math.floor(rng() * 500) } : {}),
      ...(rng() < 0.8 ? { popularity: Math.round(rng() * 1000) / 10 } : {}),
      overview: 'A long text the table never shows. '.repeat(8),
    }),
  );
}

const STORED = movies(N, 11);
/** The library's order: IndexedDB reads by key (tmdb:1, tmdb:10, …). */
const BY_KEY = [...STORED].sort((a, b) => (a.key < b.key ? -1 : 1));
/** Posters of every 7th movie, and one of a movie the library does not hold. */
const POSTER_KEYS = [...STORED.filter((_, i) => i % 7 === 0).map((m) => m.key), 'imdb:tt0000001'];

beforeAll(async () => {
  const lib = await openLibrary({ name: DB });
  await lib.putMovies(STORED);
  await lib.putPosters(POSTER_KEYS.map((k, i) => makePoster(k, randomBytes(64, i))));
  lib.close();
});
afterAll(() => deleteDatabase(DB));

const Q: TableQuery = {
  search: '',
  sort: 'voteAverage',
  descending: true,
  onlyWithPoster: false,
  minVotes: 50,
};

describe('LibraryViews', () => {
  const posters = new Set(POSTER_KEYS);

  it('answers table queries in the order of the table rule, window by window', async () => {
    const views = new LibraryViews();
    const q = { db: DB, revision: 1 };
    for (const t of [
      Q,
      { ...Q, sort: 'title' as const, descending: false },
      { ...Q, search: 'night war', onlyWithPoster: true },
    ]) {
      const want = queryMovies(BY_KEY, t, posters).map((m) => m.key);
      const { id, total } = await views.table(q, t);
      expect(total).toBe(want.length);
      const got: string[] = [];
      for (let s = 0; s < total; s += 100)
        got.push(...views.rows(id, s, s + 100)!.map((r) => r.key));
      expect(got).toEqual(want);
    }
    const row = views.rows((await views.table(q, Q)).id, 0, 1)![0]!;
    expect(Object.keys(row)).not.toContain('overview');
  });

  it('profiles the library with its posters, and searches titles and posters', async () => {
    const views = new LibraryViews();
    const q = { db: DB, revision: 1 };
    expect(await views.profile(q)).toEqual(profileOf(STORED, posters));
    const night = BY_KEY.filter((m) => m.title.toLowerCase().includes('night')).slice(0, 5);
    expect(await views.searchTitles(q, ' NIGHT ', 5)).toEqual(
      night.map((m) => ({
        key: m.key,
        title: m.title,
        year: m.year,
        hasPoster: posters.has(m.key),
      })),
    );
    expect(await views.titles(q, ['tmdb:3', 'tmdb:none'])).toEqual([STORED[2]!.title, null]);
    // A poster without a movie is found by its key and shown under it.
    expect(await views.searchPosters(q, 'tt0000001', 3)).toEqual([
      { key: 'imdb:tt0000001', title: 'imdb:tt0000001' },
    ]);
    expect(await views.searchPosters(q, '', 4)).toHaveLength(4);
  });

  it('reads the library again for a new revision and forgets the old results', async () => {
    const views = new LibraryViews();
    const old = await views.table({ db: DB, revision: 1 }, Q);
    const lib = await openLibrary({ name: DB });
    await lib.putMovies([makeMovie('tmdb:999999', { title: 'Added later' })]);
    lib.close();
    expect(views.rows(old.id, 0, 3)).toHaveLength(3);
    const next = await views.table({ db: DB, revision: 2 }, Q);
    expect(next.total).toBe(N + 1);
    expect(views.rows(old.id, 0, 3)).toBeNull();
    const again = await openLibrary({ name: DB });
    await again.deleteMovies(['tmdb:999999']);
    again.close();
  });
});

describe('the library-view worker', () => {
  it('gives the page counts and windows, the same as the views in this thread', async () => {
    const q = { db: DB, revision: 10 };
    const w = libraryViewWorker();
    const profile = await w.profile(q);
    expect(profile).toEqual(profileOf(STORED, new Set(POSTER_KEYS)));
    // What crosses for the whole library is small: the profile and one answer per query.
    expect(JSON.stringify(profile).length).toBeLessThan(4_000);
    const { id, total } = await w.table(q, Q);
    expect(total).toBe(N);
    const want = queryMovies(BY_KEY, Q, new Set(POSTER_KEYS)).slice(1_000, 1_050);
    expect((await w.rows(id, 1_000, 1_050))!.map((r) => r.key)).toEqual(want.map((m) => m.key));
  });
});
