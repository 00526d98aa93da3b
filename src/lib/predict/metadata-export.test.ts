import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import type { MetadataPredictor } from '../experiments/runner.ts';
import { applyFeatures, fitFeatures } from '../features/encode.ts';
import { PAPER7 } from '../features/groups.ts';
import { labelsFromRows } from '../metrics/index.ts';
import { OneVsRestLogistic } from '../models/node.ts';
import { metadataModelJson, metadataModelProblems, readMetadataModel } from './metadata-export.ts';
import { MetadataModels } from './metadata-model.ts';

beforeAll(() => tf.setBackend('cpu'));

const movies: Movie[] = Array.from({ length: 30 }, (_, i) => ({
  key: `tmdb:${i}`,
  title: `m${i}`,
  genreIds: [],
  keywords: [],
  source: 't',
  updatedAt: 0,
  popularity: i,
  year: 1980 + i,
  director: i % 3 ? 'Ann' : 'Bob',
}));

async function predictor(): Promise<MetadataPredictor> {
  const transform = fitFeatures(movies, {
    numeric: ['popularity', 'decade'],
    certificate: false,
    scaling: 'standardize',
    topDirectors: 1,
  });
  const x = applyFeatures(transform, movies);
  const y = labelsFromRows(
    movies.map((m) => [m.popularity! > 12 ? 1 : 0, m.director === 'Bob' ? 1 : 0]),
  );
  const model = new OneVsRestLogistic();
  await model.fit({ rows: x.rows, cols: x.cols, data: x.x }, y);
  const json = model.toJSON();
  model.dispose();
  return {
    model: json,
    transform,
    groups: PAPER7.slice(0, 2).map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
    labels: ['a', 'b'],
    thresholds: [0.4, 0.6],
    oof: { keys: ['tmdb:1'], scores: [0.1, 0.2] },
    test: { keys: ['tmdb:2'], scores: [0.3, 0.4] },
  };
}

describe('metadata model export', () => {
  it('round-trips: the read-back model predicts what the run’s model predicts, without per-movie scores', async () => {
    const p = await predictor();
    const text = metadataModelJson(p, 'logistic run', new Date('2026-12-07T00:00:00Z'));
    const back = readMetadataModel(text);
    expect(back.name).toBe('logistic run');
    expect(back.oof).toEqual({ keys: [], scores: [] });
    expect(text).not.toContain('tmdb:1');
    const a = await new MetadataModels().predict('x', p, movies);
    const b = await new MetadataModels().predict('y', back, movies);
    expect([...b]).toEqual([...a]);
    expect(JSON.parse(text)).toMatchObject({
      format: 'marquee-metadata-model',
      version: 1,
      createdAt: '2026-12-07T00:00:00.000Z',
      labels: ['a', 'b'],
      thresholds: [0.4, 0.6],
    });
  });

  it('refuses other files, naming each problem', () => {
    expect(() => readMetadataModel('{')).toThrow('not valid JSON');
    expect(metadataModelProblems([])).toEqual(['not a JSON object']);
    expect(
      metadataModelProblems({
        format: 'marquee-model-card',
        version: 2,
        labels: ['a'],
        thresholds: [1.5],
        groups: [],
        transform: {},
        model: {},
      }),
    ).toEqual([
      'format: expected "marquee-metadata-model"',
      'version: expected 1',
      'thresholds: expected one number in [0, 1] per label',
      'groups: expected one genre group per label',
      'transform: expected the fitted feature transform (names, numeric columns)',
      'model: expected a model with its name (the registry kind)',
    ]);
  });
});
