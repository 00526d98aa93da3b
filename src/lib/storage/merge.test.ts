import { describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { mergeMovie, sameValue, withoutUndefined } from './merge.ts';

const base: Movie = {
  key: 'tmdb:1',
  tmdbId: 1,
  title: 'Alien',
  genreIds: [27, 878],
  keywords: ['space'],
  runtime: 117,
  source: 'a.csv',
  updatedAt: 1,
};

describe('sameValue', () => {
  it('treats NaN as equal to NaN and 0 as different from -0', () => {
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
  });
  it('compares arrays by element and order', () => {
    expect(sameValue([1, 2], [1, 2])).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue([1], [1, 1])).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });
  it('compares plain objects ignoring undefined-valued keys', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('mergeMovie', () => {
  it('adds a movie with no stored record, dropping undefined fields', () => {
    const r = mergeMovie(undefined, { ...base, overview: undefined });
    expect(r.outcome).toBe('added');
    expect('overview' in r.movie).toBe(false);
  });
  it('lets defined incoming fields win and keeps stored ones it leaves undefined', () => {
    const r = mergeMovie(base, {
      ...base,
      runtime: undefined,
      director: 'Scott',
      source: 'b.csv',
      updatedAt: 2,
    });
    expect(r.outcome).toBe('updated');
    expect(r.movie).toMatchObject({
      runtime: 117,
      director: 'Scott',
      source: 'b.csv',
      updatedAt: 2,
    });
  });
  it('reports unchanged, returning the stored record, when only source and updatedAt differ', () => {
    const r = mergeMovie(base, { ...base, genreIds: [27, 878], source: 'c.csv', updatedAt: 9 });
    expect(r.outcome).toBe('unchanged');
    expect(r.movie).toBe(base);
  });
  it('counts a changed list as an update, but an empty list is no information and keeps the stored one', () => {
    expect(mergeMovie(base, { ...base, keywords: ['space', 'alien'] }).outcome).toBe('updated');
    expect(mergeMovie(base, { ...base, genreIds: [] }).movie.genreIds).toEqual(base.genreIds);
    expect(mergeMovie(base, { ...base, genreIds: [] }).outcome).toBe('unchanged');
  });
});

describe('withoutUndefined', () => {
  it('keeps null, false and 0', () => {
    expect(withoutUndefined({ a: undefined, b: null, c: false, d: 0 })).toEqual({
      b: null,
      c: false,
      d: 0,
    });
  });
});
