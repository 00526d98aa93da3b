import { describe, expect, it } from 'vitest';
import { MovieTable, queryMovies, type SortKey, type TableQuery } from './movie-table.ts';
import { TMDB_GENRES } from './genres.ts';
import type { Movie } from './types.ts';

/** The table's rule written the direct way (records in memory, localeCompare): the reference. */
function reference(
  movies: readonly Movie[],
  q: TableQuery,
  posters: ReadonlySet<string>,
): string[] {
  const terms = q.search.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = (m: Movie) =>
    [
      m.title,
      m.originalTitle ?? '',
      m.director ?? '',
      String(m.year ?? ''),
      ...m.genreIds.map((id) => TMDB_GENRES[id] ?? `#${id}`),
      ...m.keywords,
    ]
      .join(' ')
      .toLowerCase();
  const rows = movies.filter(
    (m) =>
      (!q.onlyWithPoster || posters.has(m.key)) &&
      (terms.length === 0 || terms.every((t) => hay(m).includes(t))),
  );
  const dir = q.descending ? -1 : 1;
  const value = (m: Movie) => (q.sort === 'title' ? m.title : m[q.sort]);
  const min = q.sort === 'voteAverage' ? (q.minVotes ?? 0) : 0;
  const enough = (m: Movie) => (m.voteCount ?? 0) >= min;
  return rows
    .sort((a, b) => {
      if (min > 0 && enough(a) !== enough(b)) return enough(a) ? -1 : 1;
      const va = value(a);
      const vb = value(b);
      if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
      if (typeof va === 'string' && typeof vb === 'string') return dir * va.localeCompare(vb);
      return dir * ((va as number) - (vb as number));
    })
    .map((m) => m.key);
}

/** A small seeded generator, so a failure names the same library every time. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function library(n: number, seed: number): Movie[] {
  const r = rng(seed);
  const words = ['night', 'Night', 'river', 'Éclair', 'alpha', 'zeta', 'Zeta', 'love', 'war'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T) => (r() < 0.2 ? undefined : v);
  return Array.from({ length: n }, (_, i) => {
    const m: Movie = {
      key: `tmdb:${i}`,
      title: `${pick(words)} ${r() < 0.5 ? pick(words) : ''}`.trim(),
      genreIds: r() < 0.1 ? [] : [pick([18, 35, 28, 878, 53, 99])],
      keywords: r() < 0.5 ? [pick(words).toLowerCase()] : [],
      source: 't',
      updatedAt: 0,
    };
    const year = maybe(1950 + Math.floor(r() * 70));
    if (year !== undefined) m.year = year;
    const pop = maybe(Math.round(r() * 50) / 2);
    if (pop !== undefined) m.popularity = pop;
    const avg = maybe(Math.round(r() * 20) / 2);
    if (avg !== undefined) m.voteAverage = avg;
    const votes = maybe(Math.floor(r() * 200));
    if (votes !== undefined) m.voteCount = votes;
    if (r() < 0.3) m.director = pick(['Agnès Varda', 'Denis Villeneuve']);
    return m;
  });
}

describe('MovieTable', () => {
  const movies = library(600, 7);
  const posters = new Set(movies.filter((_, i) => i % 3 === 0).map((m) => m.key));
  const table = new MovieTable();
  for (const m of movies) table.add(m, posters.has(m.key));
  const sorts: SortKey[] = ['title', 'year', 'popularity', 'voteAverage', 'voteCount'];

  it('orders like the direct rule for every sort, direction, search and filter (ties in library order)', () => {
    let checked = 0;
    for (const sort of sorts)
      for (const descending of [false, true])
        for (const search of ['', 'night', 'zeta war', 'varda', '19'])
          for (const onlyWithPoster of [false, true])
            for (const minVotes of [0, 50]) {
              const q = { search, sort, descending, onlyWithPoster, minVotes };
              const got = table.query(q).map((i) => table.row(i).key);
              expect(got, JSON.stringify(q)).toEqual(reference(movies, q, posters));
              checked += got.length;
            }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('keeps only what a row shows, and finds rows by key', () => {
    const i = table.indexOf('tmdb:5')!;
    expect(Object.keys(table.row(i)).sort()).toEqual(
      Object.keys(table.row(i))
        .filter((k) =>
          ['key', 'title', 'year', 'genreIds', 'popularity', 'voteAverage', 'voteCount'].includes(
            k,
          ),
        )
        .sort(),
    );
    expect(table.row(i).title).toBe(movies[5]!.title);
    expect(table.indexOf('tmdb:none')).toBeUndefined();
    expect(() => table.row(600)).toThrow(/no row 600/);
  });

  it('queryMovies returns the records in that order', () => {
    const q = { search: '', sort: 'title' as const, descending: true, onlyWithPoster: false };
    expect(queryMovies(movies, q, posters).map((m) => m.key)).toEqual(
      reference(movies, q, posters),
    );
  });
});
