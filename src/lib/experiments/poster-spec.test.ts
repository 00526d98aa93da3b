import { describe, expect, it } from 'vitest';
import '../models/node.ts';
import '../models/poster/kinds.ts';
import { MODEL_KINDS } from '../models/registry.ts';
import { isPosterSpecInput, posterSpecProblems } from './poster-spec.ts';

const base = {
  labels: { groups: 'paper7' },
  model: { kind: 'cnn' },
  split: { testFraction: 0.25, seed: 1 },
};

describe('poster spec data sources', () => {
  it("accepts { library: true } only when the source is 'library'", () => {
    const lib = { ...base, data: { library: true } };
    expect(posterSpecProblems(lib, 'library')).toEqual([]);
    expect(posterSpecProblems(lib)).toEqual([
      'data: must be { "posters": "<folder>", "labels": "<csv>" }',
    ]);
    const files = { ...base, data: { posters: 'p', labels: 'l.csv' } };
    expect(posterSpecProblems(files)).toEqual([]);
    expect(posterSpecProblems(files, 'library')).toEqual(['data: must be { "library": true }']);
  });

  it('recognises a library spec as a posters spec only with a poster model kind', () => {
    expect(isPosterSpecInput({ ...base, data: { library: true } })).toBe(true);
    expect(isPosterSpecInput({ ...base, data: { posters: 'p', labels: 'l' } })).toBe(true);
    expect(isPosterSpecInput({ ...base, data: { library: true }, model: { kind: 'forest' } })).toBe(
      false,
    );
    expect(isPosterSpecInput({ data: { movies: 'm.csv' }, model: { kind: 'cnn' } })).toBe(false);
  });
});

describe('transfer fine-tuning parameters', () => {
  const files = { posters: 'p', labels: 'l.csv' };
  const transfer = (params: Record<string, unknown>) => ({
    ...base,
    data: files,
    model: { kind: 'transfer', params },
  });

  it('accepts fineTuneEpochs >= 0 and a positive fineTuneLearningRate', () => {
    expect(posterSpecProblems(transfer({ fineTuneEpochs: 0 }))).toEqual([]);
    expect(posterSpecProblems(transfer({ fineTuneEpochs: 3, fineTuneLearningRate: 1e-5 }))).toEqual(
      [],
    );
  });

  it('refuses a negative or fractional epoch count and a zero learning rate', () => {
    const bad = posterSpecProblems(
      transfer({ fineTuneEpochs: -1, fineTuneLearningRate: 0 }),
    ).concat(posterSpecProblems(transfer({ fineTuneEpochs: 1.5 })));
    expect(bad).toHaveLength(3);
    expect(bad.join('\n')).toMatch(
      /fineTuneEpochs[\s\S]*fineTuneLearningRate[\s\S]*fineTuneEpochs/,
    );
  });

  it('defaults to no fine-tuning at a learning rate of 1e-5', () => {
    expect(MODEL_KINDS.transfer!.defaults).toMatchObject({
      fineTuneEpochs: 0,
      fineTuneLearningRate: 1e-5,
    });
  });
});
