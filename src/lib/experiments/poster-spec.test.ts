import { describe, expect, it } from 'vitest';
import '../models/node.ts';
import '../models/poster/kinds.ts';
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
