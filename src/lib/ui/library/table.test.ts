import { describe, expect, it } from 'vitest';
import type { Movie } from '../../data/types.ts';
import { formatBytes, queryMovies, visibleRange } from './table.ts';

const movie = (key: string, title: string, extra: Partial<Movie> = {}): Movie => ({
  key,
  title,
  genreIds: [],
  keywords: [],
  source: 't',
  updatedAt: 0,
  ...extra,
});

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(visibleRange(0, 400, 40, 1000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(4000, 400, 40, 1000, 5)).toEqual({ start: 95, end: 116 });
    expect(visibleRange(39_900, 400, 40, 1000, 5)).toEqual({ start: 992, end: 1000 });
  });
});

describe('queryMovies', () => {
  const movies = [
    movie('a', 'Arrival', {
      year: 2016,
      genreIds: [878],
      director: 'Denis Villeneuve',
      voteAverage: 6.9,
    }),
    movie('b', 'Gone Girl', { year: 2014, genreIds: [53], voteAverage: 7.9 }),
    movie('c', 'Inception', { year: 2010, genreIds: [878, 28] }),
  ];
  const q = { search: '', sort: 'title' as const, descending: false, onlyWithPoster: false };
  it('searches title, director and genre names across all terms', () => {
    expect(queryMovies(movies, { ...q, search: 'science' }, new Set()).map((m) => m.key)).toEqual([
      'a',
      'c',
    ]);
    expect(
      queryMovies(movies, { ...q, search: 'villeneuve 2016' }, new Set()).map((m) => m.key),
    ).toEqual(['a']);
  });
  it('sorts numbers with missing values last in both directions', () => {
    expect(
      queryMovies(movies, { ...q, sort: 'voteAverage', descending: true }, new Set()).map(
        (m) => m.key,
      ),
    ).toEqual(['b', 'a', 'c']);
    expect(queryMovies(movies, { ...q, sort: 'voteAverage' }, new Set()).map((m) => m.key)).toEqual(
      ['a', 'b', 'c'],
    );
  });
  it('puts movies under the minimum vote count after the others when sorting by rating', () => {
    const rated = [
      movie('one-vote', 'Ten out of ten', { voteAverage: 10, voteCount: 1 }),
      movie('classic', 'Classic', { voteAverage: 8.1, voteCount: 12000 }),
      movie('good', 'Good', { voteAverage: 7.2, voteCount: 300 }),
      movie('few', 'Few votes', { voteAverage: 9, voteCount: 12 }),
    ];
    const keys = (minVotes: number) =>
      queryMovies(rated, { ...q, sort: 'voteAverage', descending: true, minVotes }, new Set()).map(
        (m) => m.key,
      );
    expect(keys(0)).toEqual(['one-vote', 'few', 'classic', 'good']);
    expect(keys(50)).toEqual(['classic', 'good', 'one-vote', 'few']);
    // Other sorts ignore it.
    expect(
      queryMovies(rated, { ...q, sort: 'title', minVotes: 50 }, new Set()).map((m) => m.key)[0],
    ).toBe('classic');
  });
  it('keeps only movies with posters when asked', () => {
    expect(
      queryMovies(movies, { ...q, onlyWithPoster: true }, new Set(['c'])).map((m) => m.key),
    ).toEqual(['c']);
  });
});

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(null)).toBe('—');
  });
});
