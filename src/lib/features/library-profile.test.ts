import { describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { countWithGenres, profileHas, profileOf } from './library-profile.ts';

const movie = (key: string, extra: Partial<Movie> = {}): Movie => ({
  key,
  title: key,
  genreIds: [],
  keywords: [],
  source: 's',
  updatedAt: 0,
  ...extra,
});

describe('profileOf', () => {
  const movies = [
    movie('a', { genreIds: [18, 35], keywords: ['x'], popularity: 2 }),
    movie('b', { genreIds: [35, 18], releaseDate: '2001-04-02' }),
    movie('c', { genreIds: [99], certificate: 'PG', voteCount: Number.NaN }),
    movie('d'),
  ];
  const p = profileOf(movies, new Set(['a', 'c', 'x']));

  it('counts movies, keywords and genre combinations (order and repeats of ids ignored)', () => {
    expect(p.movies).toBe(4);
    expect(p.withKeywords).toBe(1);
    expect(p.genreSets).toEqual([
      { genreIds: [], movies: 1, withPoster: 0 },
      { genreIds: [18, 35], movies: 2, withPoster: 1 },
      { genreIds: [99], movies: 1, withPoster: 1 },
    ]);
    expect(profileOf([...movies].reverse(), new Set(['a', 'c']))).toEqual(p);
  });

  it('knows which columns some movie has (NaN is missing; year, month and decade come from the date)', () => {
    expect(p.present).toEqual(['popularity', 'year', 'month', 'decade', 'certificate']);
    expect(profileHas(p, 'voteCount')).toBe(false);
  });

  it('counts movies with any of the genres, with or without posters', () => {
    expect(countWithGenres(p, [18])).toBe(2);
    expect(countWithGenres(p, [18, 99])).toBe(3);
    expect(countWithGenres(p, [18, 99], true)).toBe(2);
    expect(countWithGenres(p, [])).toBe(0);
  });
});
