import { describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { checkSpecAgainstMovies, parseSpec, SpecError } from './spec.ts';

const GOOD = {
  data: { movies: 'movies.csv' },
  labels: { groups: 'paper7' },
  features: { scaling: 'standardize' },
  sampling: { method: 'none' },
  model: { kind: 'svm', params: { C: 1 }, grid: { gamma: ['scale', 0.1] } },
  cv: { folds: 3 },
  split: { testFraction: 0.2, seed: 0 },
};

function problems(input: unknown): string[] {
  try {
    parseSpec(input);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
}

describe('parseSpec', () => {
  it('accepts a complete spec', () => {
    expect(problems(GOOD)).toEqual([]);
  });

  it('names an unknown model and the known kinds', () => {
    expect(problems({ ...GOOD, model: { kind: 'xgboost' } })).toEqual([
      "model.kind: unknown model \"xgboost\" (known: 'svm', 'forest', 'mlp', 'logistic')",
    ]);
  });

  it('refuses a poster model kind in a metadata spec, even when poster kinds are registered', async () => {
    await import('../models/poster/kinds.ts');
    expect(problems({ ...GOOD, model: { kind: 'xgboost' } })).toEqual([
      "model.kind: unknown model \"xgboost\" (known: 'svm', 'forest', 'mlp', 'logistic')",
    ]);
    const p = problems({ ...GOOD, model: { kind: 'cnn' } });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/"cnn" is a poster model/);
  });

  it('reports a bad grid: unknown parameter, empty list, bad value', () => {
    const p = problems({
      ...GOOD,
      model: { kind: 'svm', grid: { depth: [1], C: [], gamma: ['wide'] } },
    });
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^model.grid: unknown parameter 'depth' for svm/);
    expect(p[1]).toBe('model.grid.C: must be a non-empty list of values');
    expect(p[2]).toBe("model.grid.gamma: must be a number or 'scale' or 'auto', got \"wide\"");
  });

  it('lists one message per problem, all at once', () => {
    const p = problems({
      ...GOOD,
      cv: { folds: 1 },
      split: { testFraction: 1.5, seed: -1 },
      features: { scaling: 'log' },
    });
    expect(p).toEqual([
      "features.scaling: must be one of 'raw', 'standardize', 'minmax', got \"log\"",
      'cv.folds: must be an integer >= 2',
      'split.testFraction: must be a number in (0, 1), got 1.5',
      'split.seed: must be an integer >= 0, got -1',
    ]);
  });

  it('refuses an unknown feature column', () => {
    expect(problems({ ...GOOD, features: { scaling: 'raw', numeric: ['budget'] } })[0]).toMatch(
      /^features.numeric: unknown column 'budget'/,
    );
  });
});

describe('checkSpecAgainstMovies', () => {
  const movie: Movie = {
    key: 'tmdb:1',
    title: 't',
    genreIds: [35],
    keywords: [],
    source: 's',
    updatedAt: 0,
    popularity: 3,
  };
  it('names a feature column the data lacks', () => {
    const spec = parseSpec({
      ...GOOD,
      features: { scaling: 'raw', numeric: ['popularity', 'imdbVotes'] },
    });
    expect(checkSpecAgainstMovies(spec, [movie], 'a.csv')).toEqual([
      "features.numeric: column 'imdbVotes' is missing from a.csv (no movie has imdb_votes / num_voted_users)",
    ]);
  });
  it('needs at least one movie in a label group', () => {
    const spec = parseSpec(GOOD);
    expect(checkSpecAgainstMovies(spec, [{ ...movie, genreIds: [99] }], 'a.csv')).toEqual([
      'labels: no movie in a.csv has a genre of the chosen groups',
    ]);
  });
});
