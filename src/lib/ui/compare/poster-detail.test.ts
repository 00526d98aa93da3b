import { describe, expect, it } from 'vitest';
import type { PosterExperimentResult } from '../../experiments/poster-runner.ts';
import { markExample, posterFacts, tallyExamples, varianceTarget } from './poster-detail.ts';

describe('markExample', () => {
  it('marks found, missed and wrong groups', () => {
    const m = markExample(['Drama', 'Comedy'], ['Drama', 'Horror']);
    expect(m.truth).toEqual([
      { name: 'Drama', mark: 'correct' },
      { name: 'Comedy', mark: 'missed' },
    ]);
    expect(m.predicted).toEqual([
      { name: 'Drama', mark: 'correct' },
      { name: 'Horror', mark: 'wrong' },
    ]);
    expect([m.correct, m.missed, m.wrong, m.exact]).toEqual([1, 1, 1, false]);
  });
  it('is an exact match only when both sets are equal', () => {
    expect(markExample(['A', 'B'], ['B', 'A']).exact).toBe(true);
    expect(markExample(['A'], []).exact).toBe(false);
    expect(markExample([], ['A']).wrong).toBe(1);
  });
  it('tallies examples', () => {
    expect(
      tallyExamples([
        { truth: ['A'], predicted: ['A'] },
        { truth: ['A', 'B'], predicted: ['C'] },
      ]),
    ).toEqual({ examples: 2, exact: 1, correct: 1, missed: 2, wrong: 1 });
  });
});

const result = (over: Partial<PosterExperimentResult> = {}): PosterExperimentResult =>
  ({
    cv: [],
    best: { params: { variance: 0.8 }, index: 0 },
    timings: { fitMs: 3210, totalMs: 12_345 },
    backend: 'wasm',
    dataset: {
      movies: 60,
      dropped: 4,
      trainRows: 45,
      testRows: 15,
      sampledTrainRows: 45,
      labelNames: [],
      featureNames: ['pixels 148×100 gray'],
    },
    posters: { curves: [], examples: [], fromCache: 12 },
    ...over,
  }) as unknown as PosterExperimentResult;

describe('posterFacts', () => {
  it('states sizes, cache hits, backend and times', () => {
    expect(posterFacts(result())).toEqual([
      '60 posters (4 movies without a genre of the groups left out)',
      '45 train / 15 test',
      'input pixels 148×100 gray; 12 of 60 from the cache',
      'backend wasm; final fit 3.2 s, total 12 s',
    ]);
  });
  it('mentions the grid when points were compared', () => {
    const cv = [{}, {}, {}] as PosterExperimentResult['cv'];
    expect(posterFacts(result({ cv }))[1]).toBe(
      '45 train / 15 test; 3 grid points compared on a validation part',
    );
  });
  it('takes the variance target from the chosen parameters, 0.9 otherwise', () => {
    expect(varianceTarget(result())).toBe(0.8);
    expect(varianceTarget(result({ best: { params: {}, index: 0 } }))).toBe(0.9);
  });
});
