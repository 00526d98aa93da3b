import { describe, expect, it } from 'vitest';
import { featurePreview } from './feature-preview.ts';
import { testMovie } from '../../test/cs109b-data.ts';

describe('featurePreview', () => {
  const movies = [
    { ...testMovie('a', [28]), popularity: 10, voteAverage: 5 },
    { ...testMovie('b', [28]), popularity: 30 },
    { ...testMovie('c', [28]), popularity: 20, voteAverage: 7 },
  ];
  it('summarises raw columns and reports the missing share from the indicator', () => {
    const p = featurePreview(movies, {
      numeric: ['popularity', 'voteAverage'],
      certificate: false,
      scaling: 'raw',
    });
    expect(p.rows).toBe(3);
    const pop = p.columns.find((c) => c.name === 'popularity')!;
    expect([pop.min, pop.mean, pop.max, pop.missing]).toEqual([10, 20, 30, null]);
    const va = p.columns.find((c) => c.name === 'voteAverage')!;
    expect(va.missing).toBeCloseTo(1 / 3, 6); // b lacks it; imputed with the median 6
    expect(va.mean).toBeCloseTo(6, 6);
  });
  it('standardizes to mean 0 and min-max to [0, 1]', () => {
    const s = featurePreview(movies, {
      numeric: ['popularity'],
      certificate: false,
      scaling: 'standardize',
    }).columns[0]!;
    expect(s.mean).toBeCloseTo(0, 6);
    const m = featurePreview(movies, {
      numeric: ['popularity'],
      certificate: false,
      scaling: 'minmax',
    }).columns[0]!;
    expect([m.min, m.max]).toEqual([0, 1]);
  });
});
