import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedPath } from '../../test/shared.ts';
import { parseMoviesCsv } from './csv.ts';
import { FilmIndex, mergeFilms, normaliseTitle } from './film-merge.ts';
import type { Movie } from './types.ts';

const movie = (
  key: string,
  title: string,
  year: number | undefined,
  extra: Partial<Movie> = {},
): Movie => ({
  key,
  title,
  ...(year === undefined ? {} : { year }),
  genreIds: [],
  keywords: [],
  source: 't',
  updatedAt: 0,
  ...extra,
});

describe('film merge rules', () => {
  it('normalises titles: accents, case, punctuation and spacing', () => {
    expect(normaliseTitle('  Amélie\u00a0')).toBe('amelie');
    expect(normaliseTitle('Star Wars: Episode IV – A New Hope')).toBe(
      'star wars episode iv a new hope',
    );
  });

  it('merges by IMDb id, then by title + year, keeping the first record’s key', () => {
    const index = new FilmIndex([
      movie('tmdb:19995', 'Avatar', 2009),
      movie('tmdb:27205', 'Inception', 2010, { imdbId: 'tt1375666' }),
    ]);
    const { movies, report } = mergeFilms(index, [
      movie('imdb:tt0499549', 'Avatar\u00a0', 2009, { imdbId: 'tt0499549' }),
      movie('imdb:tt1375666', 'Inception (film)', 2011, { imdbId: 'tt1375666' }),
      movie('imdb:tt0000001', 'New film', 2001, { imdbId: 'tt0000001' }),
    ]);
    expect(movies.map((m) => m.key)).toEqual(['tmdb:19995', 'tmdb:27205', 'imdb:tt0000001']);
    expect(movies[0]!.imdbId).toBe('tt0499549'); // the merged record gains the other source's id
    expect(report).toMatchObject({ merged: 2, byImdbId: 1, byTitleYear: 1, ambiguous: [] });
  });

  it('keeps films of the same title in different years, or with different ids, apart', () => {
    const index = new FilmIndex([
      movie('tmdb:10730', 'King Kong', 1976, { tmdbId: 10730 }),
      movie('tmdb:254', 'King Kong', 2005, { imdbId: 'tt0360717', tmdbId: 254 }),
    ]);
    const { movies, report } = mergeFilms(index, [
      movie('imdb:tt0024216', 'King Kong', 1933, { imdbId: 'tt0024216' }),
      movie('imdb:tt9999999', 'King Kong', 2005, { imdbId: 'tt9999999' }), // same title and year, another IMDb id
      movie('imdb:tt0360717', 'King Kong', 2005, { imdbId: 'tt0360717' }),
      movie('imdb:tt0000002', 'No year', undefined),
    ]);
    expect(movies.map((m) => m.key)).toEqual([
      'imdb:tt0024216',
      'imdb:tt9999999',
      'tmdb:254',
      'imdb:tt0000002',
    ]);
    expect(report.merged).toBe(1);
  });

  it('reports ambiguous matches and never guesses', () => {
    const index = new FilmIndex([
      movie('tmdb:1', 'Twins', 1988, { tmdbId: 1 }),
      movie('tmdb:2', 'Twins', 1988, { tmdbId: 2 }),
    ]);
    const { movies, report } = mergeFilms(index, [
      movie('imdb:tt3', 'Twins', 1988, { imdbId: 'tt3' }),
    ]);
    expect(movies[0]!.key).toBe('imdb:tt3');
    expect(report.ambiguous).toEqual([
      { key: 'imdb:tt3', title: 'Twins', year: 1988, candidates: ['tmdb:1', 'tmdb:2'] },
    ]);
  });

  it('merges duplicates inside one import too', () => {
    const { movies, report } = mergeFilms(new FilmIndex(), [
      movie('tmdb:5', 'Heat', 1995, { tmdbId: 5 }),
      movie('imdb:tt0113277', 'Heat', 1995, { imdbId: 'tt0113277' }),
    ]);
    expect(movies.map((m) => m.key)).toEqual(['tmdb:5', 'tmdb:5']);
    expect(report.byTitleYear).toBe(1);
  });
});

const TMDB = 'data/metadata/tmdb-5000.csv';
const IMDB = 'data/metadata/imdb-5000.csv';
const noData = missingShared(import.meta.url, 'TMDb 5000 + IMDB 5000 film merge', TMDB, IMDB);

describe.skipIf(noData)('TMDb 5000 + IMDB 5000', () => {
  it('become one movie per film: Avatar, Inception and The Dark Knight Rises once each', async () => {
    const read = async (p: string) =>
      (await parseMoviesCsv(readFileSync(sharedPath(p), 'utf8'), { source: p })).movies;
    const tmdb = await read(TMDB);
    const imdb = await read(IMDB);
    const index = new FilmIndex();
    const first = mergeFilms(index, tmdb);
    const second = mergeFilms(index, imdb);
    const keys = new Set([...first.movies, ...second.movies].map((m) => m.key));
    const all = tmdb.length + imdb.length;
    console.info(
      `film merge: ${tmdb.length} + ${imdb.length} records → ${keys.size} films; ${second.report.merged} merged (${second.report.byImdbId} by IMDb id, ${second.report.byTitleYear} by title + year), ${second.report.ambiguous.length} ambiguous`,
    );
    expect(keys.size).toBeLessThan(all - 3000); // most IMDB 5000 films are in TMDb 5000
    for (const title of ['Avatar', 'Inception', 'The Dark Knight Rises']) {
      const films = new Set(
        [...first.movies, ...second.movies]
          .filter((m) => normaliseTitle(m.title) === normaliseTitle(title))
          .map((m) => m.key),
      );
      expect(films.size, title).toBe(1);
    }
  });
});
