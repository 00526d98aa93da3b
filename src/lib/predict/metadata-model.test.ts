import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { applyFeatures, fitFeatures } from '../features/encode.ts';
import { PAPER7 } from '../features/groups.ts';
import { labelsFromRows } from '../metrics/index.ts';
import { OneVsRestLogistic } from '../models/node.ts';
import type { MetadataPredictor } from './metadata-model.ts';
import {
  MetadataModels,
  groupTruth,
  metadataFields,
  movieFromForm,
  truthByKey,
} from './metadata-model.ts';

beforeAll(() => tf.setBackend('cpu'));

const movie = (i: number, extra: Partial<Movie> = {}): Movie => ({
  key: `tmdb:${i}`,
  title: `m${i}`,
  genreIds: [],
  keywords: [],
  source: 't',
  updatedAt: 0,
  ...extra,
});

async function predictor(): Promise<MetadataPredictor> {
  const train = Array.from({ length: 40 }, (_, i) =>
    movie(i, {
      popularity: i,
      year: 1990 + i,
      ...(i % 4 ? { voteCount: 10 * i } : {}), // a quarter lack the vote count
      certificate: i % 2 ? 'R' : 'PG',
      director: i % 3 ? 'Ann' : 'Bob',
    }),
  );
  const transform = fitFeatures(train, {
    numeric: ['popularity', 'voteCount', 'decade'],
    certificate: true,
    scaling: 'standardize',
    topDirectors: 1,
  });
  const x = applyFeatures(transform, train);
  const y = labelsFromRows(
    train.map((m) => [m.popularity! > 20 ? 1 : 0, m.director === 'Bob' ? 1 : 0]),
  );
  const model = new OneVsRestLogistic();
  await model.fit({ rows: x.rows, cols: x.cols, data: x.x }, y);
  const json = model.toJSON();
  model.dispose();
  return {
    model: json,
    transform,
    groups: [...PAPER7.slice(0, 2)].map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
    labels: ['a', 'b'],
    thresholds: [0.5, 0.5],
    oof: { keys: [], scores: [] },
    test: { keys: [], scores: [] },
  };
}

describe('metadataFields', () => {
  it('lists the fields the features read (decade as year), with training medians', async () => {
    const f = metadataFields(await predictor());
    expect(f.map((x) => x.name)).toEqual([
      'popularity',
      'voteCount',
      'year',
      'certificate',
      'director',
    ]);
    expect(f[0]!.median).toBe(19.5); // median of 0…39
  });
});

describe('movieFromForm', () => {
  it('parses numbers and lists, and leaves blanks and junk missing', () => {
    const m = movieFromForm({
      popularity: ' 12.5 ',
      voteCount: '',
      year: 'abc',
      keywords: 'a, b,,c',
      director: 'Ann',
      month: null,
    });
    expect(m.popularity).toBe(12.5);
    expect('voteCount' in m).toBe(false);
    expect('year' in m).toBe(false);
    expect(m.keywords).toEqual(['a', 'b', 'c']);
    expect(m.director).toBe('Ann');
    expect('month' in m).toBe(false);
  });
  it('takes numbers as a bound number input gives them', () => {
    expect(movieFromForm({ voteAverage: 7.5, voteCount: null }).voteAverage).toBe(7.5);
  });
});

describe('MetadataModels', () => {
  it('scores a form movie with blanks exactly like the same movie lacking those fields', async () => {
    const p = await predictor();
    const models = new MetadataModels();
    const blank = await models.predict('r1', p, [
      movieFromForm({ popularity: '30', director: 'Bob' }),
    ]);
    // A blank vote count becomes the training median with its "missing" indicator on, as in training.
    const votes = p.transform.numeric[1]!;
    const direct = applyFeatures(p.transform, [movie(0, { popularity: 30, director: 'Bob' })]);
    expect(direct.x[1]).toBeCloseTo((votes.median - votes.center) / votes.scale, 5);
    expect(direct.x[2]).toBe(1);
    const again = await models.predict('r1', p, [movie(0, { popularity: 30, director: 'Bob' })]);
    expect(Array.from(blank)).toEqual(Array.from(again));
    expect(blank).toHaveLength(2);
    expect(blank[0]!).toBeGreaterThan(0.5); // popularity 30 > 20
    models.dispose();
  });
});

describe('groupTruth', () => {
  it('marks a group when the movie has any of its genres', () => {
    expect(groupTruth(movie(1, { genreIds: [36, 35] }), PAPER7)).toEqual([1, 0, 0, 0, 0, 0, 1]);
  });
});

describe('truthByKey', () => {
  it('gives the truth of the wanted movies only, skipping keys no longer in the library', () => {
    const movies = [movie(1, { genreIds: [35] }), movie(2, { genreIds: [14] })];
    const t = truthByKey(movies, ['tmdb:2', 'tmdb:9'], PAPER7);
    expect([...t]).toEqual([['tmdb:2', [0, 0, 1, 0, 0, 0, 0]]]);
  });
});
