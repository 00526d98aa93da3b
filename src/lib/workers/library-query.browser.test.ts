import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Movie } from '../data/types.ts';
import { analyzeGenres, groupSummary } from '../features/genre-analysis.ts';
import { PAPER7 } from '../features/groups.ts';
import { openLibrary } from '../storage/index.ts';
import { deleteDatabase, makeMovie, mulberry32, uniqueDbName } from '../../test/storage-helpers.ts';
import { exploreWorker } from './explore-client.ts';
import { GENRE_FIELDS } from './library-query.ts';
import { LibraryReader } from './library-reader.ts';

const DB = uniqueDbName('query');
const N = 3_000;
const GENRES = [12, 14, 16, 18, 27, 28, 35, 53, 80, 878, 10749];

/** Seeded movies with 1–3 genres and a few keywords. */
function movies(n: number, seed: number, from = 1): Movie[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) =>
    makeMovie(`tmdb:${from + i}`, {
      tmdbId: from + i,
      genreIds: [
        ...new Set(
          Array.from({ length: 1 + Math.floor(rng() * 3) }, () => GENRES[Math.floor(rng() * 11)]!),
        ),
      ],
      keywords: [`k${Math.floor(rng() * 30)}`, `k${Math.floor(rng() * 30)}`],
      overview: 'A long text nobody computes on. '.repeat(10),
    }),
  );
}

const STORED = movies(N, 3);

beforeAll(async () => {
  const lib = await openLibrary({ name: DB });
  await lib.putMovies(STORED);
  lib.close();
});
afterAll(() => deleteDatabase(DB));

/** True when some object inside the value looks like a movie record (a key with genres or a title). */
function carriesMovies(value: unknown, depth = 0): boolean {
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if ('key' in value && ('genreIds' in value || 'title' in value)) return true;
  return Object.values(value).some((v) => carriesMovies(v, depth + 1));
}

describe('LibraryReader', () => {
  it('reads the library in batches and keeps only the asked fields', async () => {
    const reader = new LibraryReader();
    const read: number[] = [];
    const got = await reader.read(
      { db: DB, revision: 1, fields: GENRE_FIELDS },
      { batchSize: 1_000, onBatch: (n) => read.push(n) },
    );
    expect(read).toEqual([1_000, 2_000, 3_000]);
    expect(got).toHaveLength(N);
    expect(Object.keys(got[0]!).sort()).toEqual(['genreIds', 'key']);
    const byKey = new Map(STORED.map((m) => [m.key, m]));
    for (const m of got) expect(m.genreIds).toEqual(byKey.get(m.key)!.genreIds);
  });

  it('reuses what it read for one revision and reads again for the next', async () => {
    const reader = new LibraryReader();
    const q = { db: DB, revision: 1, fields: GENRE_FIELDS };
    const first = reader.cached(q);
    expect(reader.cached(q)).toBe(first);
    expect(await first).toHaveLength(N);
    const lib = await openLibrary({ name: DB });
    await lib.putMovies(movies(10, 9, N + 1));
    expect(await reader.cached(q)).toHaveLength(N); // same revision: the old read
    expect(await reader.cached({ ...q, revision: 2 })).toHaveLength(N + 10);
    await lib.deleteMovies(movies(10, 9, N + 1).map((m) => m.key));
    lib.close();
  });

  it('stops reading when its signal aborts', async () => {
    const controller = new AbortController();
    const reader = new LibraryReader();
    const done = reader.read(
      { db: DB, revision: 1 },
      { batchSize: 500, signal: controller.signal, onBatch: () => controller.abort() },
    );
    await expect(done).rejects.toThrow();
  });
});

describe('the Explore worker takes a query, not the library', () => {
  it('computes what the maths gives on the stored movies, with no movie record in any message', async () => {
    // The spy calls through to the real postMessage and records every message sent to a worker.
    const spy = vi.spyOn(Worker.prototype, 'postMessage');
    let posted: unknown[];
    try {
      const q = { db: DB, revision: 7 };
      const w = exploreWorker();
      const analysis = await w.analyzeGenres(q, 'average');
      const summary = await w.groupSummary(q, [...PAPER7]);
      const expected = analyzeGenres(STORED, 'average');
      expect(analysis.movies).toBe(N);
      expect(analysis.counts).toEqual(expected.counts);
      expect(analysis.corr).toEqual(expected.corr);
      expect(summary).toEqual(groupSummary(STORED, PAPER7));
    } finally {
      posted = spy.mock.calls.map((c) => c[0] as unknown);
      spy.mockRestore();
    }
    expect(posted.length).toBeGreaterThanOrEqual(2);
    for (const m of posted) {
      expect(carriesMovies(m)).toBe(false);
      const json = JSON.stringify(m);
      expect(json).not.toContain('tmdb:');
      expect(json.length).toBeLessThan(2_000);
    }
  });
});
